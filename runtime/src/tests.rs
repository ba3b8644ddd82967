//! Runtime-level tests: the genesis presets and the registry wired to the real
//! Balances configuration.

use crate::{
	configs::{ModuleDepositBase, ModuleDepositPerByte},
	genesis_config_presets, AccountId, Balances, ModuleRegistry, Runtime, RuntimeCall,
	RuntimeGenesisConfig, RuntimeOrigin, System, UNIT,
};
use frame_support::{assert_ok, traits::fungible::InspectHold, BoundedVec};
use pallet_module_registry::{HoldReason, KeyOwnershipProof, ModuleCount};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{traits::Dispatchable, BuildStorage};

/// Applies a JSON merge patch (what presets are) on top of `base`.
fn merge(base: &mut serde_json::Value, patch: serde_json::Value) {
	match (base, patch) {
		(serde_json::Value::Object(base), serde_json::Value::Object(patch)) =>
			for (key, value) in patch {
				merge(base.entry(key).or_insert(serde_json::Value::Null), value);
			},
		(base, patch) => *base = patch,
	}
}

fn preset_config(name: &str) -> RuntimeGenesisConfig {
	let patch = genesis_config_presets::get_preset(&name.into()).expect("preset exists");
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
	merge(&mut config, serde_json::from_slice(&patch).unwrap());
	serde_json::from_value(config).expect("preset is a valid genesis config")
}

fn dev_ext() -> sp_io::TestExternalities {
	let mut ext: sp_io::TestExternalities =
		preset_config("development").build_storage().unwrap().into();
	ext.execute_with(|| System::set_block_number(1));
	ext
}

#[test]
fn presets_are_listed_and_valid() {
	let names: Vec<String> = genesis_config_presets::preset_names()
		.into_iter()
		.collect();
	assert_eq!(names, ["development", "local_testnet"]);
	let dev = preset_config("development");
	// Aura and GRANDPA take their authorities from the session keys.
	assert!(dev.aura.authorities.is_empty() && dev.grandpa.authorities.is_empty());
	assert_eq!(dev.session.keys.len(), 1);
	assert_eq!(dev.validator_set.members.len(), 1);
	assert_eq!(preset_config("local_testnet").session.keys.len(), 2);
	assert!(dev.balances.balances.iter().any(|(who, _)| who == &Sr25519Keyring::Bob.to_account_id()));
	assert_eq!(dev.sudo.key, Some(Sr25519Keyring::Alice.to_account_id()));
}

#[test]
fn registry_holds_the_configured_deposit() {
	dev_ext().execute_with(|| {
		let alice: AccountId = Sr25519Keyring::Alice.to_account_id();
		let key = BoundedVec::try_from(<AccountId as AsRef<[u8]>>::as_ref(&alice).to_vec()).unwrap();
		let mut cid = vec![0x01, 0x55, 0x12, 0x20];
		cid.extend([7u8; 32]);
		let call = RuntimeCall::ModuleRegistry(pallet_module_registry::Call::register_module {
			key,
			cid: BoundedVec::try_from(cid).unwrap(),
			proof: KeyOwnershipProof::SignerIsKey,
		});
		assert_ok!(call.dispatch(RuntimeOrigin::signed(alice.clone())));
		assert_eq!(ModuleCount::<Runtime>::get(), 1);
		let expected = ModuleDepositBase::get() + ModuleDepositPerByte::get() * 68;
		assert_eq!(expected, 168 * UNIT / 100);
		let held = Balances::balance_on_hold(&HoldReason::ModuleDeposit.into(), &alice);
		assert_eq!(held, expected);
		assert_eq!(ModuleRegistry::modules_of(&alice).len(), 1);
	});
}

mod validator_set {
	use super::*;
	use crate::{
		validator_set::{SessionLength, MIN_VALIDATORS},
		Aura, Grandpa, Session, SessionKeys, ValidatorSet,
	};
	use codec::Encode;
	use frame_support::{assert_noop, traits::Hooks};
	use sp_runtime::DispatchError;

	fn local_ext() -> sp_io::TestExternalities {
		let mut ext: sp_io::TestExternalities =
			preset_config("local_testnet").build_storage().unwrap().into();
		ext.register_extension(sp_keystore::KeystoreExt(std::sync::Arc::new(
			sp_keystore::testing::MemoryKeystore::new(),
		)));
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	/// What a joining operator does: fresh keys in the keystore, then `session.set_keys`
	/// with the proof that the account holds them.
	fn set_fresh_keys(who: &AccountId) -> SessionKeys {
		let generated = SessionKeys::generate(&who.encode(), None);
		assert_ok!(Session::set_keys(RuntimeOrigin::signed(who.clone()), generated.keys.clone(), generated.proof.encode()));
		generated.keys
	}

	fn end_session() {
		Session::rotate_session();
	}

	fn account(k: Sr25519Keyring) -> AccountId {
		k.to_account_id()
	}

	#[test]
	fn genesis_validators_author_and_finalize() {
		local_ext().execute_with(|| {
			assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 2);
			assert_eq!(Grandpa::grandpa_authorities().len(), 2);
			let mut validators = pallet_session::Validators::<Runtime>::get();
			validators.sort();
			let mut expected = vec![account(Sr25519Keyring::Alice), account(Sr25519Keyring::Bob)];
			expected.sort();
			assert_eq!(validators, expected);
		});
	}

	#[test]
	fn a_network_genesis_may_set_the_session_length() {
		local_ext().execute_with(|| {
			assert_eq!(SessionLength::get(), 600);
			// The key chain-spec/new-network.ts writes.
			assert_eq!(SessionLength::key(), sp_io::hashing::twox_128(b":SessionLength:"));
			sp_io::storage::set(&SessionLength::key(), &20u32.encode());
			assert_eq!(SessionLength::get(), 20);
		});
	}

	#[test]
	fn an_added_validator_authors_from_the_second_session_boundary() {
		local_ext().execute_with(|| {
			let charlie = account(Sr25519Keyring::Charlie);
			let keys = set_fresh_keys(&charlie);
			assert_ok!(ValidatorSet::add_member(RuntimeOrigin::root(), charlie.clone().into()));
			end_session(); // session 1: Charlie is planned (queued) now
			assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 2);
			assert!(pallet_session::QueuedKeys::<Runtime>::get().iter().any(|(who, _)| who == &charlie));
			end_session(); // session 2: Charlie authors
			let aura = pallet_aura::Authorities::<Runtime>::get();
			assert_eq!(aura.len(), 3);
			assert!(aura.contains(&keys.aura));
			// GRANDPA is told by a scheduled change, enacted when the block is finalized.
			let pending = Grandpa::pending_change().expect("a GRANDPA set change is scheduled");
			assert_eq!(pending.next_authorities.len(), 3);
			assert!(pending.next_authorities.iter().any(|(id, _)| id == &keys.grandpa));
		});
	}

	#[test]
	fn an_unchanged_set_schedules_no_grandpa_change() {
		local_ext().execute_with(|| {
			end_session();
			end_session();
			assert!(Grandpa::pending_change().is_none());
			assert_eq!(Grandpa::current_set_id(), 0);
		});
	}

	#[test]
	fn a_member_without_session_keys_is_left_out() {
		local_ext().execute_with(|| {
			let dave = account(Sr25519Keyring::Dave);
			assert_ok!(ValidatorSet::add_member(RuntimeOrigin::root(), dave.clone().into()));
			end_session();
			end_session();
			assert_eq!(pallet_session::Validators::<Runtime>::get().len(), 2);
			assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 2);
		});
	}

	#[test]
	fn only_governance_changes_the_set() {
		local_ext().execute_with(|| {
			let eve = account(Sr25519Keyring::Eve);
			assert_noop!(
				ValidatorSet::add_member(RuntimeOrigin::signed(eve.clone()), eve.clone().into()),
				DispatchError::BadOrigin
			);
			assert_noop!(
				ValidatorSet::reset_members(RuntimeOrigin::root(), vec![eve]),
				DispatchError::BadOrigin
			);
		});
	}

	#[test]
	fn the_set_never_shrinks_below_the_minimum() {
		local_ext().execute_with(|| {
			let extra = [Sr25519Keyring::Charlie, Sr25519Keyring::Dave, Sr25519Keyring::Eve];
			for k in extra {
				set_fresh_keys(&account(k));
				assert_ok!(ValidatorSet::add_member(RuntimeOrigin::root(), account(k).into()));
			}
			assert_eq!(ValidatorSet::members().len() as u32, MIN_VALIDATORS + 1);
			assert_ok!(ValidatorSet::remove_member(RuntimeOrigin::root(), account(Sr25519Keyring::Eve).into()));
			assert_noop!(
				ValidatorSet::remove_member(RuntimeOrigin::root(), account(Sr25519Keyring::Dave).into()),
				DispatchError::BadOrigin
			);
			// A swap keeps the size, so it stays possible at the minimum.
			let ferdie = account(Sr25519Keyring::Ferdie);
			set_fresh_keys(&ferdie);
			assert_ok!(ValidatorSet::swap_member(
				RuntimeOrigin::root(),
				account(Sr25519Keyring::Dave).into(),
				ferdie.clone().into()
			));
			end_session();
			end_session();
			let validators = pallet_session::Validators::<Runtime>::get();
			assert_eq!(validators.len() as u32, MIN_VALIDATORS);
			assert!(validators.contains(&ferdie));
		});
	}

	#[test]
	fn a_removed_validator_stops_authoring_after_two_boundaries() {
		local_ext().execute_with(|| {
			for k in [Sr25519Keyring::Charlie, Sr25519Keyring::Dave, Sr25519Keyring::Eve] {
				set_fresh_keys(&account(k));
				assert_ok!(ValidatorSet::add_member(RuntimeOrigin::root(), account(k).into()));
			}
			end_session();
			end_session();
			assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 5);
			let bob_aura: sp_consensus_aura::sr25519::AuthorityId = Sr25519Keyring::Bob.public().into();
			assert_ok!(ValidatorSet::remove_member(RuntimeOrigin::root(), account(Sr25519Keyring::Bob).into()));
			end_session();
			assert!(pallet_aura::Authorities::<Runtime>::get().contains(&bob_aura));
			end_session();
			assert!(!pallet_aura::Authorities::<Runtime>::get().contains(&bob_aura));
			assert_eq!(Aura::authorities_len(), 4);
		});
	}

	#[test]
	fn sessions_end_on_the_configured_period() {
		local_ext().execute_with(|| {
			let length = SessionLength::get();
			for n in 1..=length {
				System::set_block_number(n);
				Session::on_initialize(n);
			}
			assert_eq!(Session::current_index(), 1);
		});
	}
}

mod migrations {
	use super::*;
	use crate::{
		migrations::InitValidatorSet, validator_set::ValidatorMembers, Executive, Multisig, Session,
		ValidatorSet,
	};
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	use sp_keyring::Ed25519Keyring;

	/// Turns a local-testnet state into what a spec-100 chain holds: authorities only in
	/// Aura and GRANDPA; of the pallets spec 101 adds, no storage at all.
	fn as_spec_100() {
		for prefix in [&b"ValidatorSet"[..], b"Session", b"Multisig"] {
			let _ = frame_support::storage::unhashed::clear_prefix(&sp_io::hashing::twox_128(prefix), None, None);
		}
		assert_eq!(ValidatorSet::on_chain_storage_version(), StorageVersion::new(0));
	}

	#[test]
	fn a_spec_100_chain_gets_its_authorities_as_the_validator_set() {
		let mut ext: sp_io::TestExternalities = preset_config("local_testnet").build_storage().unwrap().into();
		ext.execute_with(|| {
			as_spec_100();
			let aura_before = pallet_aura::Authorities::<Runtime>::get();
			// What the chain runs on the first block of the new code.
			Executive::execute_on_runtime_upgrade();

			let mut expected = vec![Sr25519Keyring::Alice.to_account_id(), Sr25519Keyring::Bob.to_account_id()];
			expected.sort();
			assert_eq!(ValidatorMembers::get().into_inner(), expected);
			assert_eq!(pallet_session::Validators::<Runtime>::get(), expected);
			let alice = Sr25519Keyring::Alice.to_account_id();
			let keys = pallet_session::NextKeys::<Runtime>::get(&alice).expect("Alice has session keys");
			assert_eq!(keys.aura, Sr25519Keyring::Alice.public().into());
			assert_eq!(keys.grandpa, Ed25519Keyring::Alice.public().into());
			assert_eq!(Session::key_owner(sp_core::crypto::key_types::GRANDPA, Ed25519Keyring::Bob.public().as_ref()), Some(Sr25519Keyring::Bob.to_account_id()));
			// Authoring and finality keep their authorities.
			assert_eq!(pallet_aura::Authorities::<Runtime>::get(), aura_before);
			assert_eq!(ValidatorSet::on_chain_storage_version(), ValidatorSet::in_code_storage_version());
			assert_eq!(Session::on_chain_storage_version(), Session::in_code_storage_version());
			assert_eq!(Multisig::on_chain_storage_version(), Multisig::in_code_storage_version());

			// The next sessions keep the set: no needless GRANDPA change.
			Session::rotate_session();
			Session::rotate_session();
			assert!(crate::Grandpa::pending_change().is_none());
		});
	}

	#[test]
	fn a_chain_born_with_the_validator_set_is_left_alone() {
		local_ext_without_keystore().execute_with(|| {
			let members = ValidatorMembers::get();
			let keys = pallet_session::QueuedKeys::<Runtime>::get();
			InitValidatorSet::on_runtime_upgrade();
			assert_eq!(ValidatorMembers::get(), members);
			assert_eq!(pallet_session::QueuedKeys::<Runtime>::get(), keys);
		});
	}

	fn local_ext_without_keystore() -> sp_io::TestExternalities {
		preset_config("local_testnet").build_storage().unwrap().into()
	}
}
