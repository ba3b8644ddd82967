"""The two flows end to end against the real node and gateway: register_module (validate, sign, store, register
or update) and retrieve_module (record, hash-checked metadata, schema, signature)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest


from chain_support import fund, metadata  # noqa: E402

from modnet.canonical import canonical_bytes  # noqa: E402
from modnet.ipfs import IPFSClient  # noqa: E402
from modnet.chain import KeyPair, ModuleRegistryClient, connect  # noqa: E402
from modnet.errors import ChainError, IPFSError, MetadataValidationError  # noqa: E402
from modnet.registry import metadata_signer_for, register_module, retrieve_module  # noqa: E402

ALICE, BOB, DAVE = (KeyPair.from_uri(uri) for uri in ("//Alice", "//Bob", "//Dave"))


@pytest.fixture
async def chain(stack: dict[str, Any]) -> AsyncIterator[ModuleRegistryClient]:
    client = await connect(stack["rpcUrl"])
    yield client
    await client.close()


@pytest.fixture
def ipfs(stack: dict[str, Any]) -> IPFSClient:
    return IPFSClient(stack["gatewayUrl"])


async def test_an_ecdsa_account_registers_through_the_flow_signing_as_the_module_key_or_under_its_account_id(
    stack: dict[str, Any], chain: ModuleRegistryClient, ipfs: IPFSClient
) -> None:
    account = KeyPair.generate("ecdsa")
    fund(stack, account.address)
    public_key = "0x" + account.public_key.hex()

    # Its 33-byte public key as the module key: the account proves it and signs the metadata with it.
    signed = await register_module(chain, ipfs, metadata(), account, module_key=public_key, module_signer=account)
    assert signed.action == "registered" and signed.metadata["signature"]["type"] == "ecdsa"
    module = await retrieve_module(chain, ipfs, public_key)
    assert (module.record.key, module.record.owner, module.verification.signature.status) == (public_key, account.address, "valid")

    # The default module key is the account id, as in TypeScript (for ecdsa the key's blake2b-256, which is no
    # public key): registered as SignerIsKey, and nothing can sign the document as that key.
    default = await register_module(chain, ipfs, metadata(), account)
    assert default.key == chain.account_key(account) != public_key and "signature" not in default.metadata
    module = await retrieve_module(chain, ipfs, default.key)
    assert (module.record.owner, module.verification.signature.status) == (account.address, "absent")


async def test_register_then_retrieve_then_update(chain: ModuleRegistryClient, ipfs: IPFSClient) -> None:
    document = metadata()
    stored: list[str] = []
    result = await register_module(chain, ipfs, document, DAVE, on_stored=stored.append)
    key = chain.account_key(DAVE)
    assert (result.key, result.action, stored) == (key, "registered", [result.cid])
    assert result.metadata["signature"]["type"] == "sr25519"  # Dave holds his own key: he signs
    assert result.tx is not None and result.tx.stage == "finalized" and result.block_number == result.tx.block_number

    module = await retrieve_module(chain, ipfs, key)
    assert (module.record.key, module.record.cid, module.record.owner) == (key, result.cid, DAVE.address)
    assert module.metadata == result.metadata and module.metadata_bytes == canonical_bytes(result.metadata)
    assert module.verification.to_json() == {"cidMatches": True, "schema": {"valid": True}, "signature": {"status": "valid"}}
    assert module.read_at.finalized and module.read_at.verified_by == "rpc"

    changed = {**document, "version": "1.1.0"}
    update = await register_module(chain, ipfs, changed, DAVE)
    assert update.action == "updated" and update.metadata["previous"] == result.cid and update.metadata["version"] == "1.1.0"
    module = await retrieve_module(chain, ipfs, key)
    assert (module.record.revision, module.record.cid) == (1, update.cid)
    assert module.verification.signature.status == "valid"

    unsigned = {**document, "version": "2.0.0"}
    first = await register_module(chain, ipfs, unsigned, DAVE, sign_metadata=False, link_previous=False, wait_for="inBlock")
    again = await register_module(chain, ipfs, unsigned, DAVE, sign_metadata=False, link_previous=False, mode="update")
    assert (first.action, again.action, again.cid, again.tx) == ("updated", "unchanged", first.cid, None)
    await chain.wait_for_finalized(first.block_number or 0)  # retrieve reads at the finalized block
    assert (await retrieve_module(chain, ipfs, key)).verification.signature.status == "absent"


async def test_a_module_key_of_its_own_signs_the_proof_and_the_metadata(chain: ModuleRegistryClient, ipfs: IPFSClient) -> None:
    module_key = KeyPair.generate("ecdsa")
    key = "0x" + module_key.public_key.hex()
    assert metadata_signer_for(key, ALICE, module_key) is module_key
    assert metadata_signer_for(key, ALICE, None) is None
    assert metadata_signer_for(chain.account_key(ALICE), ALICE, module_key) is ALICE
    result = await register_module(chain, ipfs, metadata(), ALICE, module_key=key, module_signer=module_key, wait_for="inBlock")
    assert result.metadata["signature"]["type"] == "ecdsa"
    await chain.wait_for_finalized(result.block_number or 0)
    module = await retrieve_module(chain, ipfs, key)
    assert module.record.owner == ALICE.address and module.verification.signature.status == "valid"


async def test_refusals_before_the_chain_is_asked(chain: ModuleRegistryClient, ipfs: IPFSClient) -> None:
    module_key = KeyPair.generate("ed25519")
    key = "0x" + module_key.public_key.hex()
    await register_module(chain, ipfs, metadata(), ALICE, module_key=key, module_signer=module_key, wait_for="inBlock")

    with pytest.raises(ChainError) as exists:
        await register_module(chain, ipfs, metadata(), ALICE, module_key=key, module_signer=module_key, mode="register")
    assert (exists.value.code, exists.value.error) == ("CHAIN_DISPATCH", "ModuleAlreadyExists")
    with pytest.raises(ChainError) as not_owner:
        await register_module(chain, ipfs, metadata(), BOB, module_key=key, module_signer=module_key)
    assert (not_owner.value.code, not_owner.value.pallet, not_owner.value.error) == ("CHAIN_DISPATCH", "moduleRegistry", "NotOwner")
    assert str(not_owner.value).startswith("moduleRegistry.NotOwner: Only the module's owner may do this (module ")
    with pytest.raises(ChainError) as missing:
        await register_module(chain, ipfs, metadata(), ALICE, module_key="0x" + KeyPair.generate().public_key.hex(), mode="update")
    assert missing.value.code == "MODULE_NOT_FOUND"
    with pytest.raises(MetadataValidationError):
        await register_module(chain, ipfs, {**metadata(), "unknown": True}, ALICE, module_key=key)
    assert (await chain.get_module(key, "best"))[0] is not None


async def test_a_tampering_gateway_is_caught(stack: dict[str, Any], chain: ModuleRegistryClient, ipfs: IPFSClient) -> None:
    module_key = KeyPair.generate("sr25519")
    key = "0x" + module_key.public_key.hex()
    result = await register_module(chain, ipfs, metadata(), ALICE, module_key=key, module_signer=module_key)
    with pytest.raises(IPFSError) as tampered:
        await retrieve_module(chain, IPFSClient(stack["tamperingGatewayUrl"]), key)
    assert tampered.value.code == "IPFS_VERIFICATION_FAILED" and result.cid in str(tampered.value)
