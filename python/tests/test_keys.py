"""Keys, key pairs, storage keys, SCALE and CIDs: the same answers as the TypeScript library (run here through Node)."""

from __future__ import annotations

import pytest
from chain_support import run_ts

from modnet.chain import KeyPair, parse_account, parse_module_key
from modnet.chain.cid_codec import cid_from_chain, cid_to_chain
from modnet.chain.key_ownership import key_ownership_payload, key_ownership_proof
from modnet.chain.scale import ScaleReader, decode_history, decode_record, decode_status, encode_compact
from modnet.chain.storage_keys import (
    MODULE_COUNT_KEY, MODULES_PREFIX, module_history_storage_key, module_key_of_storage_key, module_status_storage_key, module_storage_key,
    owner_module_storage_key, owner_modules_prefix,
)
from modnet.types import HistoryHead, ModuleStatus, TransferOffer
from modnet.errors import ChainError, IPFSError

KEY_INPUTS = [
    "//Alice", "", "   ", "0x", "0X12", "0xzz", "0x123", "0x" + "ab" * 31, "0x" + "AB" * 32, "0x" + "02" * 33, "0x" + "03" * 34,
    "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ",
    "  5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty\n", "15oF4uVJwmo4TdGW7VfQxNLavjCXviqxT9S1MgbjMNHr6Sp5", "1",
    "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQ0", "x" * 120, "café",
]


def test_module_keys_and_accounts_parse_as_in_typescript() -> None:
    expected = run_ts(
        """
        import { parseModuleKey, parseAccount } from '@lib/chain/keys.ts'
        const outcome = (f) => { try { return ['ok', f()] } catch (e) { return [e.code, e.message] } }
        console.log(JSON.stringify(JSON.parse(process.argv[1]).map((s) => [outcome(() => parseModuleKey(s)), outcome(() => parseAccount(s)), outcome(() => parseAccount(s, 0))])))
        """,
        KEY_INPUTS,
    )

    def outcome(function: object, *args: object) -> list[str]:
        try:
            return ["ok", function(*args)]  # type: ignore[operator]
        except ChainError as error:
            return [error.code, str(error)]

    got = [[outcome(parse_module_key, s), outcome(parse_account, s), outcome(parse_account, s, 0)] for s in KEY_INPUTS]
    assert got == expected
    assert sum(1 for row in got if row[0][0] == "BAD_KEY") >= 10  # the vectors exercise the refusals


URIS = ["//Alice", "//Bob", "//Alice//stash", "//7", "//foo/bar", "0x" + "11" * 32, "0x" + "22" * 32 + "//x//0x1234",
        "bottom drive obey lake curtain smoke basket hold race lonely fit walk//a///pw", "//" + "x" * 40]


@pytest.mark.parametrize("key_type", ["sr25519", "ed25519", "ecdsa"])
def test_key_pairs_from_secret_uris_are_polkadot_js_ones(key_type: str) -> None:
    expected = run_ts(
        """
        import { Keyring } from '@polkadot/keyring'
        import { cryptoWaitReady } from '@polkadot/util-crypto'
        import { u8aToHex } from '@polkadot/util'
        await cryptoWaitReady()
        const type = JSON.parse(process.argv[2])
        console.log(JSON.stringify(JSON.parse(process.argv[1]).map((uri) => {
          try { const p = new Keyring({ type }).addFromUri(uri); return [u8aToHex(p.publicKey), p.address] } catch (e) { return 'error' }
        })))
        """,
        URIS, key_type,
    )
    got = []
    for uri in URIS:
        try:
            pair = KeyPair.from_uri(uri, key_type)  # type: ignore[arg-type]
            got.append(["0x" + pair.public_key.hex(), pair.address])
        except ChainError:
            got.append("error")
    assert got == expected
    assert got.count("error") == (1 if key_type != "sr25519" else 0)  # "//foo/bar" has a soft junction


def test_signatures_verify_in_polkadot_js_and_python_verifies_theirs() -> None:
    message = "0x" + b"modnet/register-module/v1:test".hex()
    pairs = {t: KeyPair.from_uri("//Alice//proofs", t) for t in ("sr25519", "ed25519", "ecdsa")}  # type: ignore[arg-type]
    ours = {t: "0x" + p.sign(bytes.fromhex(message[2:])).hex() for t, p in pairs.items()}
    result = run_ts(
        """
        import { Keyring } from '@polkadot/keyring'
        import { cryptoWaitReady, signatureVerify } from '@polkadot/util-crypto'
        import { u8aToHex } from '@polkadot/util'
        await cryptoWaitReady()
        const [message, ours] = [JSON.parse(process.argv[1]), JSON.parse(process.argv[2])]
        const out = {}
        for (const type of ['sr25519', 'ed25519', 'ecdsa']) {
          const pair = new Keyring({ type }).addFromUri('//Alice//proofs')
          const check = signatureVerify(message, ours[type], pair.publicKey)
          out[type] = { crypto: check.isValid ? check.crypto : 'invalid', theirs: u8aToHex(pair.sign(message)) }
        }
        console.log(JSON.stringify(out))
        """,
        message, ours,
    )
    for key_type, pair in pairs.items():
        assert result[key_type]["crypto"] == key_type
        assert pair.verify(bytes.fromhex(message[2:]), bytes.fromhex(result[key_type]["theirs"][2:]))
        assert not pair.verify(bytes.fromhex(message[2:]) + b"!", bytes.fromhex(result[key_type]["theirs"][2:]))


def test_storage_keys_are_the_typescript_ones() -> None:
    keys = ["0x" + "d4" * 32, "0x02" + "ab" * 32]
    owner = "0x" + "8e" * 32
    expected = run_ts(
        """
        import * as sk from '@lib/chain/storage-keys.ts'
        const [keys, owner] = [JSON.parse(process.argv[1]), JSON.parse(process.argv[2])]
        console.log(JSON.stringify({ count: sk.MODULE_COUNT_KEY, modules: keys.map(sk.moduleStorageKey), prefix: sk.ownerModulesPrefix(owner),
          owned: keys.map((k) => sk.ownerModuleStorageKey(owner, k)) }))
        """,
        keys, owner,
    )
    assert MODULE_COUNT_KEY == expected["count"]
    assert [module_storage_key(k) for k in keys] == expected["modules"]
    assert owner_modules_prefix(owner) == expected["prefix"]
    assert [owner_module_storage_key(owner, k) for k in keys] == expected["owned"]
    assert [module_key_of_storage_key(module_storage_key(k), MODULES_PREFIX) for k in keys] == keys
    with pytest.raises(ChainError, match="is not under"):
        module_key_of_storage_key(MODULE_COUNT_KEY, MODULES_PREFIX)


def test_key_ownership_proofs() -> None:
    alice = KeyPair.from_uri("//Alice")
    module = KeyPair.from_uri("//module", "ed25519")
    genesis = "0x" + "aa" * 32
    assert key_ownership_proof(genesis, alice.account_id, "0x" + alice.public_key.hex(), 7) == "SignerIsKey"
    proof = key_ownership_proof(genesis, alice.account_id, "0x" + module.public_key.hex(), 0x01020304, module)
    assert isinstance(proof, dict)
    signature = bytes.fromhex(proof["Signature"]["Ed25519"][2:])
    payload = b"modnet/register-module/v2:" + bytes.fromhex("aa" * 32) + alice.account_id + module.public_key + bytes([4, 3, 2, 1])
    assert key_ownership_payload(bytes.fromhex("aa" * 32), alice.account_id, module.public_key, 0x01020304) == payload
    assert module.verify(payload, signature)
    # The nonce is bound: the same proof does not sign the next registration's payload.
    assert not module.verify(key_ownership_payload(bytes.fromhex("aa" * 32), alice.account_id, module.public_key, 0x01020305), signature)
    for bad in (-1, 2**32, True):
        with pytest.raises(ChainError, match="is not a u32") as out_of_range:
            key_ownership_payload(bytes(32), alice.account_id, module.public_key, bad)
        assert out_of_range.value.code == "BAD_SIGNER"
    with pytest.raises(ChainError, match="not the signer's own key") as missing:
        key_ownership_proof(genesis, alice.account_id, "0x" + module.public_key.hex(), 0)
    assert missing.value.code == "BAD_SIGNER"
    with pytest.raises(ChainError, match="holds 0x"):
        key_ownership_proof(genesis, alice.account_id, "0x" + module.public_key.hex(), 0, KeyPair.from_uri("//other", "ed25519"))


def test_key_ownership_payloads_and_proofs_are_the_typescript_ones() -> None:
    """lib/chain/key-ownership.ts builds the same payload for the same nonce, and its signature over it (by the
    same ed25519 key, which signs deterministically) is the one Python makes."""
    alice = KeyPair.from_uri("//Alice")
    genesis = "0x" + "5c" * 32
    cases = [(uri, key_type, nonce) for uri, key_type in (("//module", "ed25519"), ("//module", "sr25519"), ("//module", "ecdsa")) for nonce in (0, 1, 300, 2**32 - 1)]
    theirs = run_ts(
        """
        import { Keyring } from '@polkadot/keyring'
        import { cryptoWaitReady } from '@polkadot/util-crypto'
        import { u8aToHex, hexToU8a } from '@polkadot/util'
        import { keyOwnershipPayload, keyOwnershipProof } from '@lib/chain/key-ownership.ts'
        await cryptoWaitReady()
        const [genesis, cases] = process.argv.slice(1).map((arg) => JSON.parse(arg))
        const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice')
        console.log(JSON.stringify(cases.map(([uri, type, nonce]) => {
          const module = new Keyring({ type }).addFromUri(uri)
          const key = u8aToHex(module.publicKey)
          return { key, payload: u8aToHex(keyOwnershipPayload(hexToU8a(genesis), alice.publicKey, module.publicKey, nonce)),
            proof: keyOwnershipProof(genesis, alice.address, key, nonce, module) }
        })))
        """,
        genesis, cases,
    )
    for (uri, key_type, nonce), answer in zip(cases, theirs):
        module = KeyPair.from_uri(uri, key_type)  # type: ignore[arg-type]
        assert answer["key"] == "0x" + module.public_key.hex()
        payload = key_ownership_payload(bytes.fromhex(genesis[2:]), alice.account_id, module.public_key, nonce)
        assert answer["payload"] == "0x" + payload.hex()
        ours = key_ownership_proof(genesis, alice.account_id, answer["key"], nonce, module)
        assert isinstance(ours, dict) and list(ours["Signature"]) == list(answer["proof"]["Signature"])
        variant = next(iter(ours["Signature"]))
        their_signature = bytes.fromhex(answer["proof"]["Signature"][variant][2:])
        assert module.verify(payload, their_signature) and module.verify(payload, bytes.fromhex(ours["Signature"][variant][2:]))
        if key_type == "ed25519":  # deterministic: the very same bytes
            assert ours == answer["proof"]


def test_history_and_status_storage_keys_are_frame_map_keys() -> None:
    """``ModuleHistory`` and ``ModuleStatuses`` keys, against polkadot-js' own hashing (twox128 of the names,
    Blake2_128Concat of the SCALE-encoded BoundedVec key)."""
    keys = ["0x" + "d4" * 32, "0x02" + "ab" * 32]
    expected = run_ts(
        """
        import { blake2AsU8a, cryptoWaitReady, xxhashAsU8a } from '@polkadot/util-crypto'
        import { compactAddLength, hexToU8a, u8aConcat, u8aToHex } from '@polkadot/util'
        await cryptoWaitReady()
        const entry = (item, key) => { const encoded = compactAddLength(hexToU8a(key))
          return u8aToHex(u8aConcat(xxhashAsU8a('ModuleRegistry', 128), xxhashAsU8a(item, 128), blake2AsU8a(encoded, 128), encoded)) }
        console.log(JSON.stringify(JSON.parse(process.argv[1]).map((k) => [entry('ModuleHistory', k), entry('ModuleStatuses', k)])))
        """,
        keys,
    )
    assert [[module_history_storage_key(k), module_status_storage_key(k)] for k in keys] == expected


def test_history_heads_and_statuses_decode() -> None:
    assert decode_history(None) == HistoryHead(length=0, head="0x" + "00" * 32)
    assert decode_history((300).to_bytes(4, "little") + bytes(range(32))) == HistoryHead(length=300, head="0x" + bytes(range(32)).hex())
    with pytest.raises(ChainError, match="trailing"):
        decode_history(bytes(37))
    with pytest.raises(ChainError, match="ends early"):
        decode_history(bytes(35))

    bob = KeyPair.from_uri("//Bob")
    assert decode_status(None) == ModuleStatus() and ModuleStatus().to_json() == {"yanked": []}
    note = "old – use v2".encode()
    value = encode_compact(2) + (0).to_bytes(4, "little") + (3).to_bytes(4, "little") + b"\x01" + encode_compact(len(note)) + note + b"\x01" + bob.account_id + (77).to_bytes(4, "little")
    status = decode_status(value)
    assert status == ModuleStatus(yanked=[0, 3], deprecation="old – use v2", transfer_offer=TransferOffer(to=bob.address, expires_at=77))
    assert status.to_json() == {"yanked": [0, 3], "deprecation": "old – use v2", "transferOffer": {"to": bob.address, "expiresAt": 77}}
    assert decode_status(encode_compact(1) + (5).to_bytes(4, "little") + b"\x00\x00") == ModuleStatus(yanked=[5])
    with pytest.raises(ChainError, match="not an Option tag"):
        decode_status(encode_compact(0) + b"\x02\x00")
    with pytest.raises(ChainError, match="not UTF-8"):
        decode_status(encode_compact(0) + b"\x01\x04\xff\xfe\xfd\xfc\x00")
    with pytest.raises(ChainError, match="trailing"):
        decode_status(encode_compact(0) + b"\x00\x00\x00")


def test_scale_and_records() -> None:
    for value in (0, 1, 63, 64, 16383, 16384, 2**30 - 1, 2**30, 2**64 + 5):
        assert ScaleReader(encode_compact(value)).compact() == value
    owner = KeyPair.from_uri("//Alice").account_id
    cid = cid_to_chain("bafkreibiifugvjydkkua54az62wzmvvavv3zcbcg6uemd6k6raj4pkopou")
    value = owner + encode_compact(len(cid)) + cid + (3).to_bytes(4, "little") + (10).to_bytes(4, "little") + (12).to_bytes(4, "little") + (99).to_bytes(16, "little")
    record = decode_record("0x" + "11" * 32, value)
    assert (record.owner, record.cid, record.revision, record.registered_at, record.updated_at, record.deposit) == (
        "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", "bafkreibiifugvjydkkua54az62wzmvvavv3zcbcg6uemd6k6raj4pkopou", 3, 10, 12, 99)
    with pytest.raises(ChainError, match="trailing"):
        decode_record("0x" + "11" * 32, value + b"\x00")
    with pytest.raises(ChainError, match="ends early"):
        decode_record("0x" + "11" * 32, value[:-1])


def test_cids_convert_like_multiformats() -> None:
    samples = ["bafkreibiifugvjydkkua54az62wzmvvavv3zcbcg6uemd6k6raj4pkopou", "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG",
               "bafybeiaqfhzf4fft5arkdimw7quirxuglvotfah44yawdjg6zujvn6lidu", "zb2rhe5P4gXftAwvA4eXQ5HJwsER2owDyS9sKaQRRVQPn93bA",
               "k2jmtxrmnb8fy4q8pe2bf3p6pqjf3xtkhvwfj6o1jd6q4l5kuqqmn5zz"]
    expected = run_ts(
        """
        import { cidToChain, cidFromChain } from '@lib/chain/decode.ts'
        console.log(JSON.stringify(JSON.parse(process.argv[1]).map((c) => { const hex = cidToChain(c); return [hex, cidFromChain(hex)] })))
        """,
        samples,
    )
    assert [["0x" + cid_to_chain(c).hex(), cid_from_chain(cid_to_chain(c))] for c in samples] == expected
    for bad in ["", "bafkrei", "notacid", "f01551220" + "00" * 32, "Qm123"]:
        with pytest.raises(IPFSError) as error:
            cid_to_chain(bad)
        assert error.value.code == "IPFS_BAD_CID"
