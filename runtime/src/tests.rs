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
	assert_eq!(dev.aura.authorities.len(), 1);
	assert_eq!(preset_config("local_testnet").aura.authorities.len(), 2);
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
