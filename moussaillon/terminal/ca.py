"""The endpoint's own certificate authority, its server certificate and the students' ones.

Made with ``cryptography`` at the first start (or ``moussaillon terminal ca``) and kept under
the data directory: the CA key never leaves it. Students' certificates carry their user id in
the common name (``moussaillon-u42``) and are looked up by serial in ``terminal_certs``, which
is how they are revoked without a CRL the docker CLI would never fetch.
"""

from __future__ import annotations

import datetime as dt
import io
import ipaddress
import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_DAYS = 3650
CERT_DAYS = 365
CN_PREFIX = "moussaillon-u"


@dataclass(frozen=True)
class Bundle:
    """What a student downloads: the CA to trust, their certificate and its key (PEM), and,
    once ``TerminalCerts`` issued one with them, a bearer token in a docker ``config.json``
    (for a CLI that cannot present the certificate)."""

    ca: bytes
    cert: bytes
    key: bytes
    serial: str
    token: str = ""

    def config_json(self) -> bytes:
        """The ``config.json`` whose ``HttpHeaders`` the CLI sends with every call."""
        headers = {"HttpHeaders": {"Authorization": f"Bearer {self.token}"}}
        return (json.dumps(headers, indent=2) + "\n").encode()

    def zip(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("ca.pem", self.ca)
            z.writestr("cert.pem", self.cert)
            z.writestr("key.pem", self.key)
            if self.token:
                z.writestr("config.json", self.config_json())
        return out.getvalue()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


class Authority:
    """The CA files in ``directory`` (``ca.pem``, ``ca-key.pem``, ``server.pem``,
    ``server-key.pem``), made when missing; ``issue`` signs a student's certificate."""

    def __init__(self, directory: Path, hosts: list[str]) -> None:
        self.directory = directory
        self.hosts = hosts
        self.ca_path = directory / "ca.pem"
        self.server_cert = directory / "server.pem"
        self.server_key = directory / "server-key.pem"
        self._ca_key_path = directory / "ca-key.pem"
        self._ensure()
        self.ca_pem = self.ca_path.read_bytes()
        self._ca = x509.load_pem_x509_certificate(self.ca_pem)
        key = serialization.load_pem_private_key(self._ca_key_path.read_bytes(), None)
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        self._ca_key = key

    def _ensure(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        if not (self.ca_path.exists() and self._ca_key_path.exists()):
            key = ec.generate_private_key(ec.SECP256R1())
            name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Moussaillon terminal CA")])
            cert = (
                x509.CertificateBuilder()
                .subject_name(name)
                .issuer_name(name)
                .public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(_now() - dt.timedelta(minutes=5))
                .not_valid_after(_now() + dt.timedelta(days=CA_DAYS))
                .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                .add_extension(
                    x509.KeyUsage(
                        digital_signature=True,
                        content_commitment=False,
                        key_encipherment=False,
                        data_encipherment=False,
                        key_agreement=False,
                        key_cert_sign=True,
                        crl_sign=True,
                        encipher_only=False,
                        decipher_only=False,
                    ),
                    critical=True,
                )
                .sign(key, hashes.SHA256())
            )
            _write_private(self._ca_key_path, _pem_key(key))
            self.ca_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
            self.server_cert.unlink(missing_ok=True)
        if not (self.server_cert.exists() and self.server_key.exists()) or not self._names_match():
            self._make_server()

    def _names_match(self) -> bool:
        """Whether the server certificate names every host (a changed terminal host remakes it)."""
        cert = x509.load_pem_x509_certificate(self.server_cert.read_bytes())
        try:
            names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        except x509.ExtensionNotFound:
            return False
        shown = {str(n) for n in names.get_values_for_type(x509.DNSName)}
        shown |= {str(n) for n in names.get_values_for_type(x509.IPAddress)}
        return set(self.hosts) <= shown

    def _make_server(self) -> None:
        ca = x509.load_pem_x509_certificate(self.ca_path.read_bytes())
        ca_key = serialization.load_pem_private_key(self._ca_key_path.read_bytes(), None)
        assert isinstance(ca_key, ec.EllipticCurvePrivateKey)
        key = ec.generate_private_key(ec.SECP256R1())
        names: list[x509.GeneralName] = []
        for host in self.hosts:
            try:
                names.append(x509.IPAddress(ipaddress.ip_address(host)))
            except ValueError:
                names.append(x509.DNSName(host))
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, self.hosts[0])]))
            .issuer_name(ca.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(_now() - dt.timedelta(minutes=5))
            .not_valid_after(_now() + dt.timedelta(days=CERT_DAYS))
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(ca_key, hashes.SHA256())
        )
        _write_private(self.server_key, _pem_key(key))
        self.server_cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))

    def issue(self, user_id: int) -> Bundle:
        """A new client certificate for ``user_id`` (the caller records its serial)."""
        key = ec.generate_private_key(ec.SECP256R1())
        serial = x509.random_serial_number()
        cert = (
            x509.CertificateBuilder()
            .subject_name(
                x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{CN_PREFIX}{user_id}")])
            )
            .issuer_name(self._ca.subject)
            .public_key(key.public_key())
            .serial_number(serial)
            .not_valid_before(_now() - dt.timedelta(minutes=5))
            .not_valid_after(_now() + dt.timedelta(days=CERT_DAYS))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
            .sign(self._ca_key, hashes.SHA256())
        )
        return Bundle(
            ca=self.ca_pem,
            cert=cert.public_bytes(serialization.Encoding.PEM),
            key=_pem_key(key),
            serial=format(serial, "x"),
        )


def serial_of(der: bytes) -> str:
    """The serial of a peer certificate as the handshake hands it over (DER), as stored."""
    return format(x509.load_der_x509_certificate(der).serial_number, "x")
