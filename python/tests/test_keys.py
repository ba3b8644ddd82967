"""Keys, key pairs, storage keys, SCALE and CIDs: the same answers as the TypeScript library (run here through Node)."""

from __future__ import annotations

import pytest
from chain_support import run_ts

from modnet.chain import KeyPair, parse_account, parse_module_key
from modnet.chain.cid_codec import cid_from_chain, cid_to_chain
from modnet.chain.key_ownership import key_ownership_payload, key_ownership_proof
from modnet.chain.scale import ScaleReader, decode_record, encode_compact
from modnet.chain.storage_keys import MODULE_COUNT_KEY, MODULES_PREFIX, module_key_of_storage_key, module_storage_key, owner_module_storage_key, owner_modules_prefix
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
    assert key_ownership_proof(genesis, alice.account_id, "0x" + alice.public_key.hex()) == "SignerIsKey"
    proof = key_ownership_proof(genesis, alice.account_id, "0x" + module.public_key.hex(), module)
    assert isinstance(proof, dict)
    signature = bytes.fromhex(proof["Signature"]["Ed25519"][2:])
    payload = b"modnet/register-module/v1:" + bytes.fromhex("aa" * 32) + alice.account_id + module.public_key
    assert key_ownership_payload(bytes.fromhex("aa" * 32), alice.account_id, module.public_key) == payload
    assert module.verify(payload, signature)
    with pytest.raises(ChainError, match="not the signer's own key") as missing:
        key_ownership_proof(genesis, alice.account_id, "0x" + module.public_key.hex())
    assert missing.value.code == "BAD_SIGNER"
    with pytest.raises(ChainError, match="holds 0x"):
        key_ownership_proof(genesis, alice.account_id, "0x" + module.public_key.hex(), KeyPair.from_uri("//other", "ed25519"))


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
