"""Metadata signatures: made in Python, checked by the TypeScript library, and the reverse; and every verdict
(valid, absent, invalid with its reason) the same in both languages."""

from __future__ import annotations

from typing import Any

import pytest


from chain_support import metadata, run_ts  # noqa: E402

from modnet.chain import KeyPair  # noqa: E402
from modnet.signature import METADATA_SIGNATURE_CONTEXT, attach_signature, sign_metadata, signature_message, verify_metadata_signature  # noqa: E402

TS_VERIFY = """
import { cryptoWaitReady } from '@polkadot/util-crypto'
import { hexToU8a } from '@polkadot/util'
import { verifyMetadataSignature } from '@lib/types/signature.ts'
await cryptoWaitReady()
const cases = JSON.parse(process.argv[1])
console.log(JSON.stringify(cases.map(([doc, key]) => verifyMetadataSignature(doc, hexToU8a(key)))))
"""


def python_verdict(doc: Any, key: str) -> dict[str, Any]:
    return verify_metadata_signature(doc, bytes.fromhex(key[2:])).to_json()


def test_python_signatures_verify_in_typescript_and_verdicts_agree() -> None:
    pairs = {t: KeyPair.from_uri(f"//Alice//meta-{t}", t) for t in ("sr25519", "ed25519", "ecdsa")}  # type: ignore[arg-type]
    document = metadata(description="Grüße 日本 😀 — signed in Python")
    cases: list[tuple[Any, str]] = []
    for key_type, pair in pairs.items():
        key = "0x" + pair.public_key.hex()
        signed = sign_metadata(document, pair)
        assert signed["signature"]["type"] == key_type and set(document) < set(signed)
        wrapped = attach_signature(document, key_type, pair.sign(b"<Bytes>" + signature_message(document) + b"</Bytes>"))
        cases += [
            (signed, key),  # valid
            (wrapped, key),  # valid: what wallet extensions sign
            ({**signed, "description": "changed"}, key),  # invalid: the document changed
            (signed, "0x" + KeyPair.generate(key_type).public_key.hex()),  # invalid: another key  # type: ignore[arg-type]
            ({**signed, "signature": {**signed["signature"], "value": signed["signature"]["value"].upper().replace("0X", "0x")}}, key),  # uppercase hex
            ({**signed, "signature": {**signed["signature"], "value": signed["signature"]["value"][:-2]}}, key),  # too short
            (document, key),  # absent
        ]
    sr = pairs["sr25519"]
    sr_signed = sign_metadata(document, sr)
    cases += [
        ({**sr_signed, "signature": {**sr_signed["signature"], "type": "ed25519"}}, "0x" + sr.public_key.hex()),  # declared ed25519, is sr25519
        ({**sr_signed, "signature": {"type": "ecdsa", "value": sr_signed["signature"]["value"] + "00"}}, "0x" + sr.public_key.hex()),  # key too short for ecdsa
        ({**sr_signed, "signature": "0x00"}, "0x" + sr.public_key.hex()),
        ({**sr_signed, "signature": {"type": "rsa", "value": "0x"}}, "0x" + sr.public_key.hex()),
        ([1, 2], "0x" + sr.public_key.hex()),
    ]
    expected = run_ts(TS_VERIFY, cases)
    got = [python_verdict(doc, key) for doc, key in cases]
    assert got == expected
    assert [v["status"] for v in got].count("valid") == 6
    assert {"status": "invalid", "reason": "the signature is declared ed25519 but verifies as sr25519"} in got


def test_typescript_signatures_verify_in_python() -> None:
    document = metadata()
    signed = run_ts(
        """
        import { Keyring } from '@polkadot/keyring'
        import { cryptoWaitReady } from '@polkadot/util-crypto'
        import { u8aToHex } from '@polkadot/util'
        import { signMetadata } from '@lib/types/signature.ts'
        await cryptoWaitReady()
        const doc = JSON.parse(process.argv[1])
        console.log(JSON.stringify(['sr25519', 'ed25519', 'ecdsa'].map((type) => {
          const pair = new Keyring({ type }).addFromUri('//Bob//meta')
          return [signMetadata(doc, pair), u8aToHex(pair.publicKey)]
        })))
        """,
        document,
    )
    for (doc, key), key_type in zip(signed, ("sr25519", "ed25519", "ecdsa")):
        assert doc["signature"]["type"] == key_type
        assert key == "0x" + KeyPair.from_uri("//Bob//meta", key_type).public_key.hex()  # type: ignore[arg-type]
        assert python_verdict(doc, key) == {"status": "valid"}
        assert python_verdict({**doc, "version": "9.9.9"}, key)["status"] == "invalid"


def test_the_signed_message_is_context_then_canonical_bytes_without_the_signature() -> None:
    document = {"b": 1, "a": "x", "signature": {"type": "sr25519", "value": "0x"}}
    assert signature_message(document) == METADATA_SIGNATURE_CONTEXT.encode() + b'{"a":"x","b":1}'
