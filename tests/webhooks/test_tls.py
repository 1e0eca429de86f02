"""An https webhook connects to the address it checked yet verifies the certificate
against the URL's host name (sent as SNI): a real TLS receiver on 127.0.0.1 with a
certificate made here."""

from __future__ import annotations

import datetime as dt
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kithkin import outbound
from kithkin.services import webhooks

pytestmark = pytest.mark.usefixtures("allow_private")


def certificate(tmp: Path, name: str) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=365))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp / "cert.pem", tmp / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


@pytest.fixture
def tls_receiver(tmp_path, monkeypatch) -> Iterator[tuple[int, list[str]]]:
    """An HTTPS server for hooks.example.test on 127.0.0.1, trusted by outbound's context;
    yields its port and the SNI names it was asked for."""
    cert_file, key_file = certificate(tmp_path, "hooks.example.test")
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert_file, key_file)
    server_context.sni_callback = lambda sock, name, context: asked.append(name)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = server_context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    trusted = ssl.create_default_context(cafile=str(cert_file))
    monkeypatch.setattr(outbound, "tls_context", lambda: trusted)
    try:
        yield server.server_address[1], asked
    finally:
        server.shutdown()
        server.server_close()


def test_https_verifies_the_urls_host_while_connecting_to_the_checked_address(
    network, owner, dns, tls_receiver
):
    port, asked = tls_receiver
    dns["hooks.example.test"] = ["127.0.0.1"]
    made = webhooks.add_subscription(network, owner, f"https://hooks.example.test:{port}/in")
    delivery = webhooks.ping_subscription(network, owner, made.subscription.pk)
    assert (delivery.status_code, delivery.error) == (204, "")
    assert asked == ["hooks.example.test"]


def test_a_certificate_for_another_name_fails_the_delivery(network, owner, dns, tls_receiver):
    port, _ = tls_receiver
    dns["other.example.test"] = ["127.0.0.1"]
    made = webhooks.add_subscription(network, owner, f"https://other.example.test:{port}/in")
    delivery = webhooks.ping_subscription(network, owner, made.subscription.pk)
    assert delivery.status_code is None
    assert "certificate verify failed" in delivery.error
