"""The terminal's CA: made once, kept, its server certificate remade when the host changes."""

from __future__ import annotations

import stat
import zipfile
from io import BytesIO

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from moussaillon.terminal.ca import CN_PREFIX, Authority, serial_of


def test_the_ca_is_kept_and_the_server_cert_follows_the_host(tmp_path) -> None:
    first = Authority(tmp_path, ["localhost", "127.0.0.1"])
    assert stat.S_IMODE((tmp_path / "ca-key.pem").stat().st_mode) == 0o600
    again = Authority(tmp_path, ["localhost", "127.0.0.1"])
    assert again.ca_pem == first.ca_pem
    server = first.server_cert.read_bytes()
    moved = Authority(tmp_path, ["docker.ecole.fr", "127.0.0.1"])
    assert moved.ca_pem == first.ca_pem and moved.server_cert.read_bytes() != server


def test_a_student_certificate_names_the_student_and_is_signed_by_the_ca(tmp_path) -> None:
    authority = Authority(tmp_path, ["localhost"])
    bundle = authority.issue(42)
    cert = x509.load_pem_x509_certificate(bundle.cert)
    assert cert.subject.rfc4514_string() == f"CN={CN_PREFIX}42"
    cert.verify_directly_issued_by(x509.load_pem_x509_certificate(bundle.ca))
    assert serial_of(cert.public_bytes(Encoding.DER)) == bundle.serial
    with zipfile.ZipFile(BytesIO(bundle.zip())) as z:
        assert z.read("cert.pem") == bundle.cert
