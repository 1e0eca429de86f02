"""Encrypted backups: a passphrase, scrypt, and AES-256-GCM in chunks.

The file is a small header, then chunks. The header says what it is and how to derive the
key, so a restore knows the file is encrypted and needs nothing else but the passphrase:

    magic "KITHENC\\0" · version 1 · log2(scrypt N) · scrypt r · scrypt p · salt (16 bytes)
    · nonce prefix (8 bytes)

Each chunk is its plaintext length (4 bytes, big-endian) then up to 1 MiB of AES-GCM
ciphertext with its tag. Chunk i's nonce is the prefix and i; its associated data is the
header and whether it is the last chunk. So a chunk moved, dropped, swapped with another
file's or cut off at the end fails to decrypt, and memory stays bounded however big the
backup is. A wrong passphrase and a damaged file are told apart only as far as the first
chunk allows: both fail to decrypt.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from kithkin.errors import KithError

MAGIC = b"KITHENC\0"
VERSION = 1
HEADER = struct.Struct(">8sBBBB16s8s")
CHUNK = 1 << 20
# scrypt at N=2^17, r=8: 128 MiB and a fraction of a second, once per file.
SCRYPT_LOG2_N = 17
SCRYPT_R = 8
SCRYPT_P = 1


class WrongPassphrase(KithError):
    """The passphrase does not open the file, or the file was changed since it was written."""


def is_encrypted(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(len(MAGIC)) == MAGIC


def _key(passphrase: str, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    kdf = Scrypt(salt=salt, length=32, n=1 << log2_n, r=r, p=p)
    return kdf.derive(passphrase.encode("utf-8"))


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + struct.pack(">I", index)


def _aad(header: bytes, last: bool) -> bytes:
    return header + (b"\1" if last else b"\0")


def encrypt(source: BinaryIO, target: BinaryIO, passphrase: str) -> None:
    """Write ``source`` to ``target`` encrypted with ``passphrase``."""
    if not passphrase:
        raise KithError("An empty passphrase encrypts nothing: give one.")
    salt, prefix = os.urandom(16), os.urandom(8)
    header = HEADER.pack(MAGIC, VERSION, SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P, salt, prefix)
    aead = AESGCM(_key(passphrase, salt, SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P))
    target.write(header)
    index = 0
    chunk = source.read(CHUNK)
    while True:
        following = source.read(CHUNK) if chunk else b""
        last = not following
        sealed = aead.encrypt(_nonce(prefix, index), chunk, _aad(header, last))
        target.write(struct.pack(">I", len(chunk)) + sealed)
        if last:
            return
        chunk, index = following, index + 1


def decrypt(source: BinaryIO, passphrase: str, name: str) -> Iterator[bytes]:
    """The plaintext of an encrypted backup, chunk by chunk; ``WrongPassphrase`` (naming
    the file as ``name``) when it does not open or was cut or changed."""
    header = source.read(HEADER.size)
    if len(header) < HEADER.size:
        raise WrongPassphrase(f"{name}: the encrypted file is cut short.")
    magic, version, log2_n, r, p, salt, prefix = HEADER.unpack(header)
    if magic != MAGIC:
        raise KithError(f"{name}: this is not an encrypted Kithkin backup.")
    if version != VERSION:
        raise KithError(
            f"{name}: encrypted by a newer Kithkin (format {version}): upgrade Kithkin to read it."
        )
    if not (10 <= log2_n <= 22 and 1 <= r <= 32 and 1 <= p <= 16):
        raise WrongPassphrase(f"{name}: the encryption header is damaged.")
    aead = AESGCM(_key(passphrase, salt, log2_n, r, p))
    index = 0
    while True:
        length_bytes = source.read(4)
        if len(length_bytes) < 4:
            raise WrongPassphrase(f"{name}: the encrypted file is cut short.")
        (length,) = struct.unpack(">I", length_bytes)
        if length > CHUNK:
            raise WrongPassphrase(f"{name}: the encrypted file is damaged.")
        sealed = source.read(length + 16)
        following = source.peek(1)[:1] if hasattr(source, "peek") else b"?"
        last = not following
        try:
            plain = aead.decrypt(_nonce(prefix, index), sealed, _aad(header, last))
        except InvalidTag:
            if index == 0:
                raise WrongPassphrase(
                    f"{name}: the passphrase does not open this backup (or the file is damaged)."
                ) from None
            raise WrongPassphrase(f"{name}: the encrypted file is damaged.") from None
        yield plain
        if last:
            return
        index += 1


def encrypt_file(source: Path, target: Path, passphrase: str) -> None:
    with source.open("rb") as plain, target.open("r+b") as sealed:
        sealed.truncate()
        encrypt(plain, sealed, passphrase)
        sealed.flush()
        os.fsync(sealed.fileno())


def decrypt_file(source: Path, target: Path, passphrase: str) -> None:
    """``target`` must exist (created private by the caller); it is overwritten."""
    with source.open("rb") as sealed, target.open("r+b") as plain:
        plain.truncate()
        for chunk in decrypt(sealed, passphrase, str(source)):
            plain.write(chunk)
