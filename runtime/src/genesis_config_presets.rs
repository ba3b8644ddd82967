//! Genesis presets: `development` (Alice alone authors and finalizes) and
//! `local_testnet` (Alice and Bob). DEV ONLY: every key here is a well-known
//! development key whose secret is public. A real network's genesis comes
//! from `chain-spec/new-network.ts`, which writes the same fields from the
//! operators' own keys.

use crate::{
	AccountId, BalancesConfig, RuntimeGenesisConfig, SessionConfig, SessionKeys, SudoConfig,
	ValidatorSetConfig,
};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// Balance of every endowed dev account (about 1.15 million UNIT).
const DEV_ENDOWMENT: u128 = 1u128 << 60;

/// A validator at genesis: its account and its session keys.
type Validator = (AccountId, AuraId, GrandpaId);

/// Aura and GRANDPA get their authorities from the session keys, not from
/// their own genesis fields, so that later sessions can change them.
fn testnet_genesis(validators: Vec<Validator>, endowed: Vec<AccountId>, root: AccountId) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed.into_iter().map(|who| (who, DEV_ENDOWMENT)).collect::<Vec<_>>(),
		},
		validator_set: ValidatorSetConfig {
			members: validators
				.iter()
				.map(|(who, ..)| who.clone())
				.collect::<Vec<_>>()
				.try_into()
				.expect("a dev preset has fewer validators than MAX_VALIDATORS"),
		},
		session: SessionConfig {
			keys: validators
				.into_iter()
				.map(|(who, aura, grandpa)| (who.clone(), who, SessionKeys { aura, grandpa }))
				.collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: Some(root) },
	})
}

fn authority(sr: Sr25519Keyring, ed: Ed25519Keyring) -> Validator {
	(sr.to_account_id(), sr.public().into(), ed.public().into())
}

/// The well-known dev accounts (Alice … Ferdie and their stashes), all endowed.
fn dev_accounts() -> Vec<AccountId> {
	Sr25519Keyring::iter()
		.filter(|k| k != &Sr25519Keyring::One && k != &Sr25519Keyring::Two)
		.map(|k| k.to_account_id())
		.collect()
}

/// Single-authority development chain: Alice authors and finalizes.
pub fn development_config_genesis() -> Value {
	testnet_genesis(
		vec![authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		dev_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
	)
}

/// Two-authority local testnet: Alice and Bob.
pub fn local_config_genesis() -> Value {
	testnet_genesis(
		vec![
			authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			authority(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
		],
		dev_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
	)
}

/// The JSON genesis patch of preset `id`.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		_ => return None,
	};
	Some(serde_json::to_string(&patch).expect("a JSON value serializes").into_bytes())
}

/// The presets this runtime offers.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
	]
}
