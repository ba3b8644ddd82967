//! Storage migrations that come with runtime upgrades.
//!
//! Spec 100 had no validator set on chain: Aura and GRANDPA held their
//! authorities in their own storage, fixed at genesis. Spec 101 adds
//! `ValidatorSet`, `Session` and `Multisig`. [`InitValidatorSet`] gives a
//! chain that upgrades from spec 100 the state those pallets would have had
//! at genesis: the current authorities become the validator set, each named by
//! the account of its Aura key, with its Aura and GRANDPA keys as its session
//! keys. The authorities themselves do not change, so neither authoring nor
//! finality notices the upgrade.
//!
//! It cannot be keyed on the new pallets' storage versions: FRAME gives a
//! pallet without any storage its in-code version before any migration runs
//! (`BeforeAllRuntimeMigrations`). So it is keyed on the state it creates:
//! it runs while the chain has authorities but no validator set, that is
//! exactly once on a spec-100 chain and never on a chain born at spec 101.

use crate::{validator_set::ValidatorMembers, AccountId, Grandpa, Runtime, SessionKeys};
use alloc::vec::Vec;
use frame_support::{traits::OnRuntimeUpgrade, weights::Weight};
use sp_runtime::{traits::OpaqueKeys, BoundedVec};

#[cfg(feature = "try-runtime")]
use {
	crate::{Multisig, Session, ValidatorSet},
	codec::{Decode, Encode},
	frame_support::traits::{GetStorageVersion, StorageVersion},
	sp_runtime::TryRuntimeError,
};

/// The storage version `pallet-membership` 50 declares.
#[cfg(feature = "try-runtime")]
const VALIDATOR_SET_STORAGE_VERSION: u16 = 4;

/// A spec-100 chain: authorities, but no validator set and no session yet.
fn needed() -> bool {
	ValidatorMembers::get().is_empty() &&
		pallet_session::Validators::<Runtime>::get().is_empty() &&
		!pallet_aura::Authorities::<Runtime>::get().is_empty()
}

/// The validators of a spec-100 chain: its Aura and GRANDPA authorities, paired by
/// position (the spec-100 presets built both lists from one list of validators).
fn authorities_as_validators() -> Vec<(AccountId, SessionKeys)> {
	let aura = pallet_aura::Authorities::<Runtime>::get();
	let grandpa = Grandpa::grandpa_authorities();
	let mut validators: Vec<_> = aura
		.into_iter()
		.zip(grandpa)
		.map(|(aura, (grandpa, _weight))| {
			let who = AccountId::from(<[u8; 32]>::from(aura.clone().into_inner()));
			(who, SessionKeys { aura, grandpa })
		})
		.collect();
	validators.sort_by(|a, b| a.0.cmp(&b.0));
	validators
}

/// Builds the validator set and the session state from a spec-100 chain's authorities.
pub struct InitValidatorSet;

impl OnRuntimeUpgrade for InitValidatorSet {
	fn on_runtime_upgrade() -> Weight {
		let db = <Runtime as frame_system::Config>::DbWeight::get();
		if !needed() {
			return db.reads(3)
		}
		let validators = authorities_as_validators();
		let accounts: Vec<AccountId> = validators.iter().map(|(who, _)| who.clone()).collect();
		for (who, keys) in &validators {
			// What `pallet-session`'s genesis does for each validator.
			pallet_session::NextKeys::<Runtime>::insert(who, keys);
			for id in SessionKeys::key_ids() {
				pallet_session::KeyOwner::<Runtime>::insert((*id, keys.get_raw(*id).to_vec()), who);
			}
			if frame_system::Pallet::<Runtime>::inc_consumers_without_limit(who).is_err() {
				frame_system::Pallet::<Runtime>::inc_providers(who);
			}
		}
		let members: BoundedVec<_, _> =
			accounts.clone().try_into().expect("Aura's MaxAuthorities equals MaxMembers");
		ValidatorMembers::put(members);
		pallet_session::Validators::<Runtime>::put(&accounts);
		pallet_session::QueuedKeys::<Runtime>::put(&validators);
		log::info!(target: "runtime::migrations", "InitValidatorSet: {} authorities became the validator set", validators.len());

		let n = validators.len() as u64;
		db.reads_writes(3 + n, 4 * n + 3)
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<Vec<u8>, TryRuntimeError> {
		if !needed() {
			return Ok(None::<()>.encode())
		}
		let aura = pallet_aura::Authorities::<Runtime>::get();
		let grandpa = Grandpa::grandpa_authorities();
		frame_support::ensure!(
			aura.len() == grandpa.len(),
			"spec 100 chain: Aura and GRANDPA authority lists differ in length"
		);
		frame_support::ensure!(!aura.is_empty(), "spec 100 chain without authorities");
		Ok(Some((aura.into_inner(), grandpa)).encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(state: Vec<u8>) -> Result<(), TryRuntimeError> {
		type Before = Option<(Vec<sp_consensus_aura::sr25519::AuthorityId>, sp_consensus_grandpa::AuthorityList)>;
		let Some((aura, grandpa)) =
			Before::decode(&mut &state[..]).map_err(|_| "pre_upgrade state does not decode")?
		else {
			return Ok(()) // nothing to migrate: a chain born with the validator set
		};
		// Authoring and finality go on with exactly the authorities they had.
		frame_support::ensure!(
			pallet_aura::Authorities::<Runtime>::get().into_inner() == aura,
			"Aura authorities changed"
		);
		frame_support::ensure!(Grandpa::grandpa_authorities() == grandpa, "GRANDPA authorities changed");
		let members = ValidatorMembers::get();
		frame_support::ensure!(members.len() == aura.len(), "one validator per authority");
		for (aura, (grandpa, _)) in aura.iter().zip(grandpa.iter()) {
			let who = AccountId::from(<[u8; 32]>::from(aura.clone().into_inner()));
			frame_support::ensure!(members.contains(&who), "every authority is a member");
			let keys = pallet_session::NextKeys::<Runtime>::get(&who).ok_or("a validator has no session keys")?;
			frame_support::ensure!(keys.aura == *aura && keys.grandpa == *grandpa, "session keys are the authorities' keys");
			frame_support::ensure!(
				Session::key_owner(sp_core::crypto::key_types::AURA, aura.as_ref()) == Some(who.clone()),
				"the Aura key has its owner"
			);
		}
		frame_support::ensure!(
			pallet_session::Validators::<Runtime>::get() == members.into_inner(),
			"the session's validators are the members"
		);
		frame_support::ensure!(
			ValidatorSet::on_chain_storage_version() == StorageVersion::new(VALIDATOR_SET_STORAGE_VERSION) &&
				Session::on_chain_storage_version() == Session::in_code_storage_version() &&
				Multisig::on_chain_storage_version() == Multisig::in_code_storage_version(),
			"storage versions of the new pallets"
		);
		Ok(())
	}
}
