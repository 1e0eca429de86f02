"""Photos in a real browser: uploaded on the edit page, shown as round avatars on People
and the person page, at a phone's size and a laptop's (screenshots in the test's tmp dir)."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from kithkin.services.photos import set_photo
from tests.factories import make_person, network_of
from tests.photos.images import jpeg_with_gps
from tests.web.test_browser import browser, log_in, page, with_password  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture(autouse=True)
def frozen_time():
    return None  # the real clock (see test_browser.py)


def portrait(hue: tuple[int, int, int]) -> bytes:
    """A simple face on a coloured background, so the screenshots show photos."""
    image = Image.new("RGB", (400, 400), hue)
    draw = ImageDraw.Draw(image)
    draw.ellipse((120, 80, 280, 260), fill=(240, 205, 170))
    draw.rectangle((90, 270, 310, 400), fill=(40, 60, 90))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def avatars_loaded(tab) -> int:
    """How many avatars show their photo, once the browser has finished with every one:
    a visible <img> may still be loading, and one that failed is complete but empty."""
    tab.wait_for_function(
        "() => [...document.querySelectorAll('.avatar img')].every(img => img.complete)"
    )
    return tab.evaluate(
        "() => [...document.querySelectorAll('.avatar img')]"
        ".filter(img => img.naturalWidth > 0).length"
    )


def test_upload_a_photo_and_see_it_on_people_and_the_person_page(page, owner, tmp_path):  # noqa: F811
    with_password(owner)
    network = network_of(owner)
    ada = make_person(network, "Ada Lovelace", circle="close", headline="Mathematician")
    for index, (name, hue) in enumerate(
        [("Grace Hopper", (90, 140, 200)), ("Alan Turing", (120, 180, 110))]
    ):
        person = make_person(network, name, circle="regular", headline=f"Person {index}")
        set_photo(network, owner, person, portrait(hue))
    make_person(network, "Katherine Johnson", circle="close")  # no photo: initials
    log_in(page, "owner")

    page.goto(f"/people/{ada.pk}/edit/")
    photo_file = tmp_path / "ada.jpg"
    photo_file.write_bytes(jpeg_with_gps())
    page.set_input_files("input[name=photo]", str(photo_file))
    with page.expect_navigation():
        page.get_by_role("button", name="Upload").click()
    page.wait_for_url(re.compile(rf".*/people/{ada.pk}/$"))
    expect(page.get_by_text("Photo saved.")).to_be_visible()
    expect(page.locator(".person-head .avatar img")).to_be_visible()
    assert avatars_loaded(page) == 1

    for width, height in ((1280, 800), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto("/people/")
        page.wait_for_load_state("networkidle")
        assert avatars_loaded(page) == 3
        expect(page.locator(".avatar", has_text="KJ")).to_be_visible()
        page.screenshot(path=str(tmp_path / f"people-{width}.png"), full_page=width < 500)
        page.goto(f"/people/{ada.pk}/")
        page.wait_for_load_state("networkidle")
        assert avatars_loaded(page) == 1
        page.screenshot(path=str(tmp_path / f"person-{width}.png"))
        page.goto(f"/people/{ada.pk}/edit/")
        expect(page.get_by_role("button", name="Remove the photo")).to_be_visible()
        page.screenshot(path=str(tmp_path / f"edit-{width}.png"), full_page=True)
