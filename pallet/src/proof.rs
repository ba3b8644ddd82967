//! Key-ownership proofs: a module key signs that a given account may register it.
//!
//! The signed payload is the concatenation
//! `PROOF_DOMAIN ‖ genesis_hash ‖ account ‖ module_key ‖ nonce` (nonce: u32
//! little-endian, the key's [`crate::HistoryHead::length`]). The domain tag keeps
//! the signature from meaning anything else, the genesis hash keeps it from being
//! replayed on another chain, the account keeps anyone else who saw it from
//! using it, and the nonce makes it good for one registration: registering
//! adds to the key's history, so the same proof cannot register the key again
//! after it was removed (or transferred and removed). Wallets that can only sign "raw" messages wrap them in
//! `<Bytes>…</Bytes>`; that form is accepted too.

use alloc::vec::Vec;
use sp_core::{ecdsa, ed25519, sr25519};
use sp_runtime::{traits::Verify, MultiSignature};

/// Domain separation tag at the start of every proof payload.
pub const PROOF_DOMAIN: &[u8] = b"modnet/register-module/v2:";

const WRAP_PREFIX: &[u8] = b"<Bytes>";
const WRAP_SUFFIX: &[u8] = b"</Bytes>";

/// The bytes a module key signs to let `account` register it on the chain with
/// `genesis_hash`, when the key's history has `nonce` events.
pub fn payload(genesis_hash: &[u8], account: &[u8], module_key: &[u8], nonce: u32) -> Vec<u8> {
	let mut out = Vec::with_capacity(
		PROOF_DOMAIN.len() + genesis_hash.len() + account.len() + module_key.len() + 4,
	);
	out.extend_from_slice(PROOF_DOMAIN);
	out.extend_from_slice(genesis_hash);
	out.extend_from_slice(account);
	out.extend_from_slice(module_key);
	out.extend_from_slice(&nonce.to_le_bytes());
	out
}

/// Whether `signature` by `module_key` signs `payload`, bare or `<Bytes>`-wrapped.
pub fn verify(signature: &MultiSignature, module_key: &[u8], payload: &[u8]) -> bool {
	if verify_exact(signature, module_key, payload) {
		return true;
	}
	let mut wrapped = Vec::with_capacity(WRAP_PREFIX.len() + payload.len() + WRAP_SUFFIX.len());
	wrapped.extend_from_slice(WRAP_PREFIX);
	wrapped.extend_from_slice(payload);
	wrapped.extend_from_slice(WRAP_SUFFIX);
	verify_exact(signature, module_key, &wrapped)
}

fn verify_exact(signature: &MultiSignature, module_key: &[u8], message: &[u8]) -> bool {
	match signature {
		MultiSignature::Sr25519(sig) => <[u8; 32]>::try_from(module_key)
			.is_ok_and(|key| sig.verify(message, &sr25519::Public::from_raw(key))),
		MultiSignature::Ed25519(sig) => <[u8; 32]>::try_from(module_key)
			.is_ok_and(|key| sig.verify(message, &ed25519::Public::from_raw(key))),
		MultiSignature::Ecdsa(sig) => <[u8; 33]>::try_from(module_key)
			.is_ok_and(|key| sig.verify(message, &ecdsa::Public::from_raw(key))),
		// Ethereum-style keys are not module keys.
		MultiSignature::Eth(_) => false,
	}
}
