"""Screenshots of the main pages, desktop and phone, from a running `kith serve`.

    .venv/bin/python scripts/screenshots.py http://localhost:8000 demo PASSWORD [OUT_DIR]

Uses Debian's Chromium (/usr/bin/chromium); never downloads a browser.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 812}}


def main() -> None:
    base, username, password = sys.argv[1:4]
    out = Path(sys.argv[4] if len(sys.argv) > 4 else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name, viewport in VIEWPORTS.items():
            page = browser.new_page(viewport=viewport)
            page.goto(f"{base}/login/")
            page.screenshot(path=out / f"login-{name}.png")
            page.fill("#id_username", username)
            page.fill("#id_password", password)
            page.click("button[type=submit]")
            page.wait_for_url(f"{base}/today/")
            page.screenshot(path=out / f"today-{name}.png", full_page=True)
            page.goto(f"{base}/people/")
            page.screenshot(path=out / f"people-{name}.png", full_page=True)
            page.click(".rows .row-title a >> nth=0")
            page.wait_for_load_state("networkidle")
            page.screenshot(path=out / f"person-{name}.png", full_page=True)
            page.goto(f"{base}/people/")
            page.click(".rows .row-title a >> nth=0")
            page.click("text=Prep brief")
            page.wait_for_load_state("networkidle")
            page.screenshot(path=out / f"brief-{name}.png", full_page=True)
            for path in ("events", "ledger", "milestones", "mentorships", "opportunities"):
                page.goto(f"{base}/{path}/")
                page.screenshot(path=out / f"{path}-{name}.png", full_page=True)
                first = page.locator("main .rows .row-title a").first
                if path in ("events", "mentorships", "opportunities") and first.count():
                    first.click()
                    page.wait_for_load_state("networkidle")
                    page.screenshot(path=out / f"{path}-one-{name}.png", full_page=True)
            for path in ("dashboard", "organizations", "settings", "network"):
                page.goto(f"{base}/{path}/")
                page.screenshot(path=out / f"{path}-{name}.png", full_page=True)
            page.close()
        browser.close()
    print(f"screenshots in {out}/")


if __name__ == "__main__":
    main()
