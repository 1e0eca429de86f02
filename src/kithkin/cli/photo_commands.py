"""`kith photo`: a person's photo, set from an image file, saved to one, or removed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from kithkin.cli.context import handle_errors, out, session
from kithkin.errors import InvalidInput


@handle_errors
def photo(
    person: Annotated[str, typer.Argument(help="A name (fuzzy), an email, or 'me'.")],
    image: Annotated[
        Path | None,
        typer.Argument(help="An image file (JPEG, PNG, WebP, GIF) to make their photo."),
    ] = None,
    save: Annotated[
        Path | None, typer.Option("--save", help="Write their photo (a JPEG) to this file.")
    ] = None,
    remove: Annotated[bool, typer.Option("--remove", help="Remove their photo.")] = False,
) -> None:
    """A person's photo: set it from an image file, save it to one, or remove it.

    IMAGE is re-encoded (at most 512 pixels, no location or other metadata). Without
    IMAGE, --save or --remove: says whether they have one."""
    from kithkin import photos
    from kithkin.models import Photo
    from kithkin.queries.people import resolve_person
    from kithkin.services.photos import remove_photo, set_photo

    ctx = session()
    who = resolve_person(ctx.network, person, include_archived=True)
    if sum((image is not None, save is not None, remove)) > 1:
        raise InvalidInput("photo", "give an image, --save or --remove: one at a time")
    if image is not None:
        try:
            with image.open("rb") as file:
                data = file.read(photos.MAX_BYTES + 1)
        except OSError as exc:
            raise InvalidInput("image", f"{image}: {exc.strerror}") from None
        changed = set_photo(ctx.network, ctx.user, who, data, what=str(image))
        out.print(f"{who.full_name}: photo {'set' if changed else 'unchanged (the same one)'}.")
    elif remove:
        had = remove_photo(ctx.network, ctx.user, who)
        out.print(f"{who.full_name}: photo {'removed' if had else 'none to remove'}.")
    else:
        stored = Photo.objects.filter(person=who).first()
        if stored is None:
            out.print(f"{who.full_name} has no photo.")
            return
        if save is not None:
            save.write_bytes(bytes(stored.image))
            out.print(f"Saved {who.full_name}'s photo to {save}.")
            return
        out.print(f"{who.full_name} has a photo ({stored.width}x{stored.height}).")


COMMANDS: dict[str, Callable[..., None]] = {"photo": photo}
GROUPS: dict[str, typer.Typer] = {}
