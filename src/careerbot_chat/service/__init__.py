"""The running bot: dispatcher, moderation, settings, logging, metrics, reloads,
pinned-card refresh and the HTTP server that mounts the adapters.
"""
