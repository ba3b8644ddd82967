//! A test runtime with Balances (for deposits) and the module registry.

use crate as pallet_module_registry;
use frame_support::{derive_impl, parameter_types, traits::ConstU32};
use sp_runtime::{
	traits::{IdentifyAccount, IdentityLookup, Verify},
	BuildStorage, MultiSignature,
};

pub type AccountId = <<MultiSignature as Verify>::Signer as IdentifyAccount>::AccountId;
pub type Balance = u128;
// u32 block numbers, as the runtime has: events (and so history heads) encode them.
type Block = frame_system::mocking::MockBlockU32<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		ModuleRegistry: pallet_module_registry,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type AccountStore = System;
	type ExistentialDeposit = ExistentialDeposit;
}

pub const DEPOSIT_BASE: Balance = 100;
pub const DEPOSIT_PER_BYTE: Balance = 2;
pub const MAX_MODULES_PER_OWNER: u32 = 3;
pub const ENDOWMENT: Balance = 10_000;
pub const MAX_YANKED: u32 = 3;
pub const MAX_NOTE_LENGTH: u32 = 16;
pub const OFFER_LIFETIME: u32 = 10;

parameter_types! {
	pub const ExistentialDeposit: Balance = 1;
	pub const DepositBase: Balance = DEPOSIT_BASE;
	pub const DepositPerByte: Balance = DEPOSIT_PER_BYTE;
}

impl pallet_module_registry::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type DepositBase = DepositBase;
	type DepositPerByte = DepositPerByte;
	type MaxKeyLength = ConstU32<33>;
	type MaxCidLength = ConstU32<64>;
	type MaxModulesPerOwner = ConstU32<MAX_MODULES_PER_OWNER>;
	type MaxYanked = ConstU32<MAX_YANKED>;
	type MaxNoteLength = ConstU32<MAX_NOTE_LENGTH>;
	type TransferOfferLifetime = ConstU32<OFFER_LIFETIME>;
	type WeightInfo = ();
}

/// Well-known dev accounts (sr25519) used by the tests.
pub fn alice() -> AccountId {
	sp_keyring::Sr25519Keyring::Alice.to_account_id()
}
pub fn bob() -> AccountId {
	sp_keyring::Sr25519Keyring::Bob.to_account_id()
}
pub fn charlie() -> AccountId {
	sp_keyring::Sr25519Keyring::Charlie.to_account_id()
}
/// An account with too little balance for any deposit.
pub fn pauper() -> AccountId {
	sp_keyring::Sr25519Keyring::Dave.to_account_id()
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(alice(), ENDOWMENT), (bob(), ENDOWMENT), (charlie(), ENDOWMENT), (pauper(), 50)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	// The benchmarks sign key proofs through the host keystore, as the benchmark CLI provides.
	ext.register_extension(sp_keystore::KeystoreExt::new(sp_keystore::testing::MemoryKeystore::new()));
	ext.execute_with(|| System::set_block_number(1));
	ext
}
