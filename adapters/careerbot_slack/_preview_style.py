__all__ = ["PREVIEW_CSS"]
"""How ``careerbot preview`` draws this platform's messages (no SDK import)."""

PREVIEW_CSS = """
.sk-message { display: flex; gap: 8px; background: #fff; padding: 10px 12px;
  font: 15px/1.46 Lato, "Segoe UI", Roboto, sans-serif; color: #1d1c1d;
  border: 1px solid #e2e2e2; border-radius: 8px; }
.sk-avatar { flex: none; width: 36px; height: 36px; border-radius: 6px; background: #4a154b;
  color: #fff; font-weight: 700; display: grid; place-items: center; }
.sk-body { min-width: 0; flex: 1; }
.sk-name { font-weight: 900; } .sk-name small { color: #616061; font-weight: 400; }
.sk-header { font-size: 18px; font-weight: 900; margin: 4px 0; }
.sk-section { white-space: pre-wrap; overflow-wrap: anywhere; margin: 4px 0; }
.sk-section code { color: #e01e5a; background: #f8f8f8; border: 1px solid #ddd;
  border-radius: 3px; padding: 0 2px; font-size: 12px; }
.sk-context { color: #616061; font-size: 12px; white-space: pre-wrap; margin: 4px 0; }
.sk-divider { border: 0; border-top: 1px solid #ddd; margin: 8px 0; }
.sk-image { display: block; max-width: 100%; border-radius: 6px; margin: 6px 0;
  border: 1px solid #eee; }
.sk-actions { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0 2px; }
.sk-button { background: #fff; border: 1px solid #bbb; border-radius: 4px; padding: 3px 12px;
  font: 700 13px/1.9 Lato, "Segoe UI", Roboto, sans-serif; color: #1d1c1d; cursor: pointer; }
.sk-button.primary { background: #007a5a; border-color: #007a5a; color: #fff; }
"""
