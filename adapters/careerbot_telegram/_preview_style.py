__all__ = ["PREVIEW_CSS"]
"""How ``careerbot preview`` draws this platform's messages (no SDK import)."""

PREVIEW_CSS = """
.tg-chat { background: #c4d9a9 linear-gradient(160deg, #d5e6b8, #a8c98f); padding: 12px;
  border-radius: 10px; }
.tg-bubble { background: #fff; border-radius: 12px 12px 12px 4px; padding: 7px 10px 8px;
  max-width: 440px; font: 15px/1.35 -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #000; white-space: pre-wrap; overflow-wrap: anywhere; box-shadow: 0 1px 1px #0002;
  margin-bottom: 6px; }
.tg-bubble img { display: block; width: 100%; border-radius: 8px; margin-bottom: 6px;
  background: #fff; }
.tg-keyboard { max-width: 460px; }
.tg-row { display: flex; gap: 4px; margin-top: 4px; }
.tg-button { flex: 1; background: #0000002e; color: #fff; border: 0; border-radius: 8px;
  padding: 8px 6px; font: 500 14px/1.2 -apple-system, "Segoe UI", Roboto, sans-serif;
  cursor: pointer; text-shadow: 0 1px 1px #0003; }
.tg-button:hover { background: #0000004a; }
"""
