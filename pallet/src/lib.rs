//! # Module Registry pallet
//!
//! Mod-Net's registry: a map from a module's public key to the binary CID of the
//! module's metadata document on IPFS.
//!
//! - Anyone may register a key they can prove they control ([`KeyOwnershipProof`]):
//!   either the key is their own account key, or the key signed
//!   [`proof::payload`] (domain tag, genesis hash, their account, the key).
//! - Only a module's owner may update, remove or transfer it.
//! - Every record holds a deposit (`DepositBase + DepositPerByte × bytes`) from
//!   its owner, released on removal, so storage is never free forever.
//! - CIDs are parsed ([`cid::parse`]); only CIDv0/CIDv1 with allowed codecs and
//!   hashes are stored.
//! - Events are the audit trail; reads go through the `ModuleRegistryApi`
//!   runtime API or plain storage queries (keys are `Blake2_128Concat`, so
//!   iterating clients recover the module keys).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod cid;
mod functions;
#[cfg(test)]
mod mock;
pub mod proof;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use types::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{Inspect, Mutate, MutateHold},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::StaticLookup;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency deposits are held in.
		type Currency: Inspect<Self::AccountId>
			+ Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason, which must include this pallet's [`HoldReason`].
		type RuntimeHoldReason: From<HoldReason>;

		/// Deposit held for every module, whatever its size.
		#[pallet::constant]
		type DepositBase: Get<BalanceOf<Self>>;

		/// Deposit held per byte of module key and CID.
		#[pallet::constant]
		type DepositPerByte: Get<BalanceOf<Self>>;

		/// Longest module key in bytes (33: a compressed ecdsa key).
		#[pallet::constant]
		type MaxKeyLength: Get<u32>;

		/// Longest binary CID in bytes.
		#[pallet::constant]
		type MaxCidLength: Get<u32>;

		/// Most modules one account may own.
		#[pallet::constant]
		type MaxModulesPerOwner: Get<u32>;

		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The storage deposit of a registered module.
		#[codec(index = 0)]
		ModuleDeposit,
	}

	/// Every registered module, by public key.
	#[pallet::storage]
	pub type Modules<T: Config> =
		StorageMap<_, Blake2_128Concat, ModuleKeyOf<T>, ModuleRecordOf<T>, OptionQuery>;

	/// How many entries [`Modules`] has.
	#[pallet::storage]
	pub type ModuleCount<T: Config> = StorageValue<_, u64, ValueQuery>;

	/// Index of the modules each account owns, so "my modules" needs no full scan.
	#[pallet::storage]
	pub type OwnerModules<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		ModuleKeyOf<T>,
		(),
		OptionQuery,
	>;

	/// How many modules each account owns (bounded by `MaxModulesPerOwner`).
	#[pallet::storage]
	pub type OwnedModuleCount<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A module was registered.
		ModuleRegistered { key: ModuleKeyOf<T>, owner: T::AccountId, cid: CidOf<T> },
		/// A module's metadata CID was replaced.
		ModuleUpdated {
			key: ModuleKeyOf<T>,
			owner: T::AccountId,
			old_cid: CidOf<T>,
			new_cid: CidOf<T>,
			revision: u32,
		},
		/// A module was removed and its deposit released.
		ModuleRemoved { key: ModuleKeyOf<T>, owner: T::AccountId },
		/// A module, and the deposit held for it, passed to a new owner.
		OwnershipTransferred { key: ModuleKeyOf<T>, from: T::AccountId, to: T::AccountId },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The module key is neither 32 bytes (sr25519/ed25519) nor 33 bytes (ecdsa).
		InvalidKeyLength,
		/// The CID bytes are not a well-formed binary CID (truncated, bad varint,
		/// wrong digest length or trailing bytes).
		MalformedCid,
		/// The CID version is neither 0 nor 1.
		UnsupportedCidVersion,
		/// The CID's content codec is not raw, dag-pb, dag-cbor, dag-json or json.
		UnsupportedCodec,
		/// The CID's hash is not sha2-256, blake2b-256 or blake3 (identity is refused).
		UnsupportedHash,
		/// A module with this key is already registered.
		ModuleAlreadyExists,
		/// No module is registered under this key.
		ModuleNotFound,
		/// Only the module's owner may do this.
		NotOwner,
		/// The proof does not show that the signer controls the module key
		/// (wrong key, wrong signer, another chain's proof or a bad signature).
		BadKeyProof,
		/// The account already owns `MaxModulesPerOwner` modules.
		TooManyModules,
		/// The account's free balance cannot cover the module's deposit.
		InsufficientDeposit,
		/// The update would store the CID the module already has.
		CidUnchanged,
		/// The new owner is already the module's owner.
		AlreadyOwner,
		/// The new owner's account cannot receive the module's deposit (it does not exist).
		NewOwnerCannotHoldDeposit,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Register a module: point `key` at the metadata `cid`.
		///
		/// The origin must be Signed; the signer becomes the owner and must prove
		/// control of `key`. A deposit of `DepositBase + DepositPerByte × (key + cid
		/// bytes)` is held from the signer.
		///
		/// - `key`: the module's public key (32 or 33 bytes).
		/// - `cid`: binary CID of the metadata document.
		/// - `proof`: [`KeyOwnershipProof`] that the signer controls `key`.
		///
		/// Emits `ModuleRegistered`.
		///
		/// Weight: O(1) (one signature check, a fixed number of reads and writes).
		///
		/// Errors: `InvalidKeyLength`, the CID errors, `ModuleAlreadyExists`,
		/// `BadKeyProof`, `TooManyModules`, `InsufficientDeposit`.
		#[pallet::call_index(0)]
		pub fn register_module(
			origin: OriginFor<T>,
			key: ModuleKeyOf<T>,
			cid: CidOf<T>,
			proof: KeyOwnershipProof,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register(who, key, cid, proof)
		}

		/// Point an existing module at new metadata.
		///
		/// The origin must be Signed by the module's owner. The deposit is adjusted
		/// to the new CID's size and `revision` goes up by one.
		///
		/// - `key`: the module's public key.
		/// - `cid`: binary CID of the new metadata document.
		///
		/// Emits `ModuleUpdated`.
		///
		/// Weight: O(1).
		///
		/// Errors: the CID errors, `ModuleNotFound`, `NotOwner`, `CidUnchanged`,
		/// `InsufficientDeposit`.
		#[pallet::call_index(1)]
		pub fn update_module(
			origin: OriginFor<T>,
			key: ModuleKeyOf<T>,
			cid: CidOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update(who, key, cid)
		}

		/// Remove a module and release its deposit to the owner.
		///
		/// The origin must be Signed by the module's owner.
		///
		/// - `key`: the module's public key.
		///
		/// Emits `ModuleRemoved`.
		///
		/// Weight: O(1).
		///
		/// Errors: `ModuleNotFound`, `NotOwner`.
		#[pallet::call_index(2)]
		pub fn remove_module(origin: OriginFor<T>, key: ModuleKeyOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_remove(who, key)
		}

		/// Give a module to another account.
		///
		/// The origin must be Signed by the module's owner. The deposit moves with
		/// the module: it is held on the new owner's account from then on, and
		/// released to them if they remove the module.
		///
		/// - `key`: the module's public key.
		/// - `new_owner`: the account that will own the module.
		///
		/// Emits `OwnershipTransferred`.
		///
		/// Weight: O(1).
		///
		/// Errors: `ModuleNotFound`, `NotOwner`, `AlreadyOwner`, `TooManyModules`,
		/// `NewOwnerCannotHoldDeposit`.
		#[pallet::call_index(3)]
		pub fn transfer_ownership(
			origin: OriginFor<T>,
			key: ModuleKeyOf<T>,
			new_owner: <T::Lookup as StaticLookup>::Source,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let new_owner = T::Lookup::lookup(new_owner)?;
			Self::do_transfer(who, key, new_owner)
		}
	}
}
