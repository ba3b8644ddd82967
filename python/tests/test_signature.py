"""Metadata signatures: made in Python, checked by the TypeScript library, and the reverse; and every verdict
(valid, absent, invalid with its reason) the same in both languages, each asked at the same binding (chain and
revision), including a version-1 signature."""

from __future__ import annotations

import re
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest


from chain_support import metadata, run_ts  # noqa: E402

from modnet.chain import KeyPair  # noqa: E402
from modnet.errors import ModnetError  # noqa: E402
from modnet.signature import (  # noqa: E402
    LEGACY_METADATA_SIGNATURE_CONTEXT,
    METADATA_SIGNATURE_CONTEXT,
    SignatureBinding,
    attach_signature,
    legacy_signature_message,
    sign_metadata,
    signature_message,
    verify_metadata_signature,
)

GENESIS = "0x" + "ab" * 32
OTHER_GENESIS = "0x" + "cd" * 32
AT = SignatureBinding(GENESIS, 3)

TS_VERIFY = """
import { cryptoWaitReady } from '@polkadot/util-crypto'
import { hexToU8a } from '@polkadot/util'
import { verifyMetadataSignature } from '@lib/types/signature.ts'
await cryptoWaitReady()
const cases = JSON.parse(process.argv[1])
console.log(JSON.stringify(cases.map(([doc, key, binding]) => verifyMetadataSignature(doc, hexToU8a(key), binding))))
"""


def ts_binding(binding: SignatureBinding) -> dict[str, Any]:
    """The binding as the TypeScript library takes it."""
    return {"genesisHash": binding.genesis_hash, "revision": binding.revision}


def python_verdict(doc: Any, key: str, binding: SignatureBinding = AT) -> dict[str, Any]:
    return verify_metadata_signature(doc, bytes.fromhex(key[2:]), binding).to_json()


def verdicts_agree(cases: list[tuple[Any, str, SignatureBinding]]) -> list[dict[str, Any]]:
    """Both languages' verdicts on ``cases`` (document, module key, binding); asserts they are equal."""
    expected = run_ts(TS_VERIFY, [(doc, key, ts_binding(binding)) for doc, key, binding in cases])
    got = [python_verdict(doc, key, binding) for doc, key, binding in cases]
    assert got == expected
    return got


def test_python_signatures_verify_in_typescript_and_verdicts_agree() -> None:
    pairs = {t: KeyPair.from_uri(f"//Alice//meta-{t}", t) for t in ("sr25519", "ed25519", "ecdsa")}  # type: ignore[arg-type]
    document = metadata(description="Grüße 日本 😀 — signed in Python")
    cases: list[tuple[Any, str, SignatureBinding]] = []
    for key_type, pair in pairs.items():
        key = "0x" + pair.public_key.hex()
        signed = sign_metadata(document, pair, AT)
        assert signed["signature"]["type"] == key_type and set(document) < set(signed)
        wrapped = attach_signature(document, key_type, pair.sign(b"<Bytes>" + signature_message(document, AT) + b"</Bytes>"))
        cases += [
            (signed, key, AT),  # valid
            (wrapped, key, AT),  # valid: what wallet extensions sign
            ({**signed, "description": "changed"}, key, AT),  # invalid: the document changed
            (signed, "0x" + KeyPair.generate(key_type).public_key.hex(), AT),  # invalid: another key  # type: ignore[arg-type]
            (signed, key, SignatureBinding(GENESIS, 4)),  # invalid: the next revision
            (signed, key, SignatureBinding(OTHER_GENESIS, 3)),  # invalid: another chain
            ({**signed, "signature": {**signed["signature"], "value": signed["signature"]["value"].upper().replace("0X", "0x")}}, key, AT),  # uppercase hex
            ({**signed, "signature": {**signed["signature"], "value": signed["signature"]["value"][:-2]}}, key, AT),  # too short
            (document, key, AT),  # absent
        ]
    sr = pairs["sr25519"]
    sr_key = "0x" + sr.public_key.hex()
    sr_signed = sign_metadata(document, sr, AT)
    cases += [
        ({**sr_signed, "signature": {**sr_signed["signature"], "type": "ed25519"}}, sr_key, AT),  # declared ed25519, is sr25519
        ({**sr_signed, "signature": {"type": "ecdsa", "value": sr_signed["signature"]["value"] + "00"}}, sr_key, AT),  # key too short for ecdsa
        ({**sr_signed, "signature": "0x00"}, sr_key, AT),
        ({**sr_signed, "signature": {"type": "rsa", "value": "0x"}}, sr_key, AT),
        ([1, 2], sr_key, AT),
        # Malformed bindings: an invalid verdict naming the binding (after the checks of the signature itself).
        (sr_signed, sr_key, SignatureBinding(GENESIS.upper().replace("0X", "0x"), 3)),
        (sr_signed, sr_key, SignatureBinding("0x12", 3)),
        (sr_signed, sr_key, SignatureBinding(GENESIS, -1)),
        (sr_signed, sr_key, SignatureBinding(GENESIS, 2**32)),
        (sr_signed, sr_key, SignatureBinding(GENESIS, 1.5)),  # type: ignore[arg-type]
        (document, sr_key, SignatureBinding("0x12", 3)),  # absent whatever the binding
    ]
    got = verdicts_agree(cases)
    assert [v["status"] for v in got].count("valid") == 6
    assert {"status": "invalid", "reason": "the signature is declared ed25519 but verifies as sr25519"} in got
    assert got.count({"status": "invalid", "reason": "the signature does not match this document and module key on this chain at revision 4"}) == 3
    assert {"status": "invalid", "reason": "a signature binds a revision from 0 to 4294967295, not 1.5"} in got
    assert {"status": "invalid", "reason": 'a signature binds a genesis hash of 0x and 64 lowercase hex digits, not "0x12"'} in got


def test_a_version_1_signature_is_invalid_and_says_so_in_both_languages() -> None:
    document = metadata()
    reason = "signed in format v1, which binds neither the chain nor the revision: it may be an old document pointed at again; sign it again"
    cases: list[tuple[Any, str, SignatureBinding]] = []
    for key_type in ("sr25519", "ed25519", "ecdsa"):
        pair = KeyPair.from_uri("//Alice//meta-v1", key_type)
        key = "0x" + pair.public_key.hex()
        v1 = attach_signature(document, key_type, pair.sign(legacy_signature_message(document)))
        v1_wrapped = attach_signature(document, key_type, pair.sign(b"<Bytes>" + legacy_signature_message(document) + b"</Bytes>"))
        cases += [(v1, key, AT), (v1, key, SignatureBinding(OTHER_GENESIS, 0)), (v1_wrapped, key, AT), ({**v1, "version": "9.9.9"}, key, AT)]
    mismatch = "the signature does not match this document and module key on this chain at revision 3"
    assert verdicts_agree(cases) == ([{"status": "invalid", "reason": reason}] * 3 + [{"status": "invalid", "reason": mismatch}]) * 3


def test_typescript_signatures_verify_in_python() -> None:
    document = metadata()
    signed = run_ts(
        """
        import { Keyring } from '@polkadot/keyring'
        import { cryptoWaitReady } from '@polkadot/util-crypto'
        import { u8aToHex } from '@polkadot/util'
        import { signMetadata } from '@lib/types/signature.ts'
        await cryptoWaitReady()
        const [doc, binding] = process.argv.slice(1).map((arg) => JSON.parse(arg))
        console.log(JSON.stringify(['sr25519', 'ed25519', 'ecdsa'].map((type) => {
          const pair = new Keyring({ type }).addFromUri('//Bob//meta')
          return [signMetadata(doc, pair, binding), u8aToHex(pair.publicKey)]
        })))
        """,
        document,
        ts_binding(AT),
    )
    for (doc, key), key_type in zip(signed, ("sr25519", "ed25519", "ecdsa")):
        assert doc["signature"]["type"] == key_type
        assert key == "0x" + KeyPair.from_uri("//Bob//meta", key_type).public_key.hex()  # type: ignore[arg-type]
        assert python_verdict(doc, key) == {"status": "valid"}
        assert python_verdict({**doc, "version": "9.9.9"}, key)["status"] == "invalid"
        assert python_verdict(doc, key, SignatureBinding(GENESIS, 2)) == {
            "status": "invalid", "reason": "the signature does not match this document and module key on this chain at revision 2",
        }
        assert python_verdict(doc, key, SignatureBinding(OTHER_GENESIS, 3))["status"] == "invalid"


def test_the_signed_message_is_context_chain_and_revision_then_canonical_bytes_without_the_signature() -> None:
    document = {"b": 1, "a": "x", "signature": {"type": "sr25519", "value": "0x"}}
    expected = f"modnet/module-metadata-signature/v2:{GENESIS}:3:".encode() + b'{"a":"x","b":1}'
    assert signature_message(document, AT) == expected == METADATA_SIGNATURE_CONTEXT.encode() + f"{GENESIS}:3:".encode() + b'{"a":"x","b":1}'
    assert signature_message(document, SignatureBinding(GENESIS, 0)).startswith(f"modnet/module-metadata-signature/v2:{GENESIS}:0:{{".encode())
    assert signature_message(document, SignatureBinding(GENESIS, 2**32 - 1)).startswith(f"{METADATA_SIGNATURE_CONTEXT}{GENESIS}:4294967295:".encode())
    assert legacy_signature_message(document) == b'modnet/module-metadata-signature/v1:{"a":"x","b":1}'
    assert LEGACY_METADATA_SIGNATURE_CONTEXT == "modnet/module-metadata-signature/v1:"
    # The same bytes as the TypeScript library's.
    doc = metadata(description="Grüße 日本 😀")
    theirs = run_ts(
        """
        import { u8aToHex } from '@polkadot/util'
        import { signatureMessage, legacySignatureMessage } from '@lib/types/signature.ts'
        const [doc, binding] = process.argv.slice(1).map((arg) => JSON.parse(arg))
        console.log(JSON.stringify([u8aToHex(signatureMessage(doc, binding)), u8aToHex(legacySignatureMessage(doc))]))
        """,
        doc,
        ts_binding(SignatureBinding(GENESIS, 7)),
    )
    assert theirs == ["0x" + signature_message(doc, SignatureBinding(GENESIS, 7)).hex(), "0x" + legacy_signature_message(doc).hex()]


@pytest.mark.parametrize(
    "genesis_hash, revision",
    [
        (GENESIS.upper(), 0),
        ("0x" + "AB" * 32, 0),
        ("0x12", 0),
        ("ab" * 32, 0),
        (GENESIS + "\n", 0),
        (None, 0),
        (GENESIS, -1),
        (GENESIS, 2**32),
        (GENESIS, 1.5),
        (GENESIS, True),
        (GENESIS, "3"),
        (GENESIS, None),
    ],
)
def test_a_malformed_binding_is_refused(genesis_hash: Any, revision: Any) -> None:
    binding = SignatureBinding(genesis_hash, revision)
    pair = KeyPair.from_uri("//Alice//meta-binding", "ed25519")
    document = metadata()
    for make in (lambda: signature_message(document, binding), lambda: sign_metadata(document, pair, binding)):
        with pytest.raises(ModnetError) as raised:
            make()
        assert raised.value.code == "SIGNATURE_INVALID" and "a signature binds a" in raised.value.message
    signed = sign_metadata(document, pair, AT)
    verdict = verify_metadata_signature(signed, pair.public_key, binding)
    assert verdict.status == "invalid" and verdict.reason is not None and verdict.reason.startswith("a signature binds a")


def test_the_binding_is_a_small_value() -> None:
    assert asdict(AT) == {"genesis_hash": GENESIS, "revision": 3}
    assert SignatureBinding(genesis_hash=GENESIS, revision=3) == AT
    with pytest.raises(AttributeError):
        AT.revision = 4  # type: ignore[misc]


def test_the_readme_signing_example_runs() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    section = readme.split("## Signing by hand", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    scope: dict[str, Any] = {}
    exec(code.group(1), scope)
    scope["sign_and_check"](metadata(), KeyPair.from_uri("//Alice//readme", "ecdsa"), GENESIS, 0)
