//! One `impl Config` per pallet, with the runtime's constants.

use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{ConstBool, ConstU128, ConstU32, ConstU64, ConstU8, NeverEnsureOrigin, VariantCountOf},
	weights::{
		constants::{RocksDbWeight, WEIGHT_REF_TIME_PER_SECOND},
		IdentityFee, Weight,
	},
};
use frame_system::{
	limits::{BlockLength, BlockWeights},
	EnsureRoot,
};
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_runtime::{
	traits::{ConvertInto, One},
	Perbill,
};
use sp_version::RuntimeVersion;

use super::{
	validator_set::{
		EnsureAboveMinimum, MembershipSessionManager, SessionLength, SessionOffset, MAX_VALIDATORS,
	},
	AccountId, Aura, Balance, Balances, Block, BlockNumber, Hash, Nonce, OriginCaller, PalletInfo,
	Runtime, RuntimeCall, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason, RuntimeOrigin,
	RuntimeTask, SessionKeys, System, BLOCK_HASH_COUNT, EXISTENTIAL_DEPOSIT, MILLI_UNIT,
	SLOT_DURATION, UNIT, VERSION, DAYS,
};

/// Who governs the chain: adds and removes validators, upgrades the runtime.
/// Root, which on our chains only `sudo` dispatches. The sudo key is the
/// network's choice: Alice on the dev chains (a public dev key), and on a real
/// network an account its operators hold together, such as a `multisig` of
/// their keys (`chain-spec/new-network.ts` refuses dev keys there).
pub type GovernanceOrigin = EnsureRoot<AccountId>;

const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

parameter_types! {
	pub const BlockHashCount: BlockNumber = BLOCK_HASH_COUNT;
	pub const Version: RuntimeVersion = VERSION;

	/// Half a second of compute per 1 s block leaves the rest of the slot for
	/// import and networking.
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::with_sensible_defaults(
		Weight::from_parts(WEIGHT_REF_TIME_PER_SECOND / 2, u64::MAX),
		NORMAL_DISPATCH_RATIO,
	);
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(5 * 1024 * 1024)
		.modify_max_length_for_class(DispatchClass::Normal, |max| *max = NORMAL_DISPATCH_RATIO * *max)
		.build();
	/// The generic Substrate SS58 prefix.
	pub const SS58Prefix: u8 = 42;
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	// ParityDb is at least as fast as RocksDB; its reference weights are the conservative choice.
	type DbWeight = RocksDbWeight;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = ConstU32<MAX_VALIDATORS>;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<MAX_VALIDATORS>;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

impl pallet_timestamp::Config for Runtime {
	/// Milliseconds since the unix epoch.
	type Moment = u64;
	type OnTimestampSet = Aura;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = ();
}

impl pallet_balances::Config for Runtime {
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ();
	type ReserveIdentifier = [u8; 8];
	type Balance = Balance;
	type RuntimeEvent = RuntimeEvent;
	type DustRemoval = ();
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

parameter_types! {
	pub FeeMultiplier: Multiplier = Multiplier::one();
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnChargeTransaction = FungibleAdapter<Balances, ()>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightToFee = IdentityFee<Balance>;
	type LengthToFee = IdentityFee<Balance>;
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

impl pallet_utility::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = OriginCaller;
	type WeightInfo = pallet_utility::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// Held per module whatever its size: two storage items (record + owner index).
	pub const ModuleDepositBase: Balance = UNIT;
	/// Held per byte of key and CID. A typical record (32-byte key, 36-byte
	/// CIDv1) holds 1.68 UNIT.
	pub const ModuleDepositPerByte: Balance = 10 * MILLI_UNIT;
}

impl pallet_module_registry::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type DepositBase = ModuleDepositBase;
	type DepositPerByte = ModuleDepositPerByte;
	/// 33 bytes: a compressed ecdsa public key, the longest module key.
	type MaxKeyLength = ConstU32<33>;
	/// A CIDv1 with a 32-byte digest is 36-39 bytes; 64 leaves room for longer codec varints.
	type MaxCidLength = ConstU32<64>;
	type MaxModulesPerOwner = ConstU32<1024>;
	/// crates.io has no limit; 256 yanked revisions (1 KiB of deposit) is far past any seen.
	type MaxYanked = ConstU32<256>;
	type MaxNoteLength = ConstU32<512>;
	/// A week to accept a transfer.
	type TransferOfferLifetime = ConstU32<{ 7 * DAYS }>;
	type WeightInfo = pallet_module_registry::weights::SubstrateWeight<Runtime>;
}

impl pallet_membership::Config<pallet_membership::Instance1> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type AddOrigin = GovernanceOrigin;
	type RemoveOrigin = EnsureAboveMinimum<GovernanceOrigin>;
	type SwapOrigin = GovernanceOrigin;
	/// `reset_members` could replace the whole set at once, below the minimum too.
	type ResetOrigin = NeverEnsureOrigin<()>;
	type PrimeOrigin = GovernanceOrigin;
	type MembershipInitialized = ();
	/// `pallet-session` reads the members at each session boundary; nothing to push.
	type MembershipChanged = ();
	type MaxMembers = ConstU32<MAX_VALIDATORS>;
	type WeightInfo = pallet_membership::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// Held while an account has session keys on chain, so keys cannot be
	/// stored for free by accounts that will never validate.
	pub const SessionKeyDeposit: Balance = UNIT;
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// Validators are named by their account.
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = pallet_session::PeriodicSessions<SessionLength, SessionOffset>;
	type NextSessionRotation = pallet_session::PeriodicSessions<SessionLength, SessionOffset>;
	type SessionManager = MembershipSessionManager;
	type SessionHandler = <SessionKeys as sp_runtime::traits::OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	/// Proof of authority: nobody is slashed or disabled on chain; governance removes.
	type DisablingStrategy = ();
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type KeyDeposit = SessionKeyDeposit;
}

parameter_types! {
	/// Held for an open multisig operation: base plus per signatory, as in the
	/// Substrate kitchensink (storage item of 88 bytes plus 32 per signatory).
	pub const MultisigDepositBase: Balance = UNIT;
	pub const MultisigDepositFactor: Balance = 32 * MILLI_UNIT;
}

impl pallet_multisig::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type DepositBase = MultisigDepositBase;
	type DepositFactor = MultisigDepositFactor;
	type MaxSignatories = ConstU32<32>;
	type WeightInfo = pallet_multisig::weights::SubstrateWeight<Runtime>;
	type BlockNumberProvider = System;
}
