"""Placeholder replaced by the server module (issue 5)."""

from __future__ import annotations

import argparse


def run_command(args: argparse.Namespace) -> int:
    raise NotImplementedError


def serve_command(args: argparse.Namespace) -> int:
    raise NotImplementedError


def refresh_pins_command(args: argparse.Namespace) -> int:
    raise NotImplementedError
