//! # Module Registry pallet
//!
//! Mod-Net's registry: a map from a module's public key to the binary CID of the
//! module's metadata document on IPFS.
//!
//! - Anyone may register a key they can prove they control ([`KeyOwnershipProof`]):
//!   either the key is their own account key, or the key signed
//!   [`proof::payload`] (domain tag, genesis hash, their account, the key).
//!   The proof binds the key's history length, so it registers once.
//! - Only a module's owner may update, remove, yank revisions of, deprecate or
//!   offer it to another account; a transfer happens when the recipient accepts
//!   (before the offer expires), so nobody is handed a module, a deposit or a
//!   slot under `MaxModulesPerOwner` they did not ask for.
//! - Every record holds a deposit (`DepositBase + DepositPerByte × bytes`) from
//!   its owner, released on removal, so storage is never free forever.
//! - CIDs are parsed ([`cid::parse`]); only CIDv0/CIDv1 with allowed codecs and
//!   hashes are stored.
//! - Events are the audit trail, and [`ModuleHistory`] commits to all of a key's
//!   events (a hash chain, [`HistoryHead`]) in current state, so a light client
//!   proves a module's whole history from one storage proof after the blocks
//!   themselves were pruned. Reads go through the `ModuleRegistryApi`
//!   runtime API or plain storage queries (keys are `Blake2_128Concat`, so
//!   iterating clients recover the module keys).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod cid;
mod functions;
pub mod migrations;
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
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

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

		/// Most revisions of one module that can be yanked at once.
		#[pallet::constant]
		type MaxYanked: Get<u32>;

		/// Longest deprecation note in bytes.
		#[pallet::constant]
		type MaxNoteLength: Get<u32>;

		/// How many blocks a transfer offer can be accepted for.
		#[pallet::constant]
		type TransferOfferLifetime: Get<BlockNumberFor<Self>>;

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

	/// Every key's history commitment: a hash chain over all of its events
	/// ([`HistoryHead`]). Kept after a module is removed, so the chain (and the
	/// nonce key proofs bind) goes on if the key is registered again.
	#[pallet::storage]
	pub type ModuleHistory<T: Config> =
		StorageMap<_, Blake2_128Concat, ModuleKeyOf<T>, HistoryHead, ValueQuery>;

	/// Yanked revisions, deprecation and a pending transfer offer, by module
	/// key; absent when none is set.
	#[pallet::storage]
	pub type ModuleStatuses<T: Config> =
		StorageMap<_, Blake2_128Concat, ModuleKeyOf<T>, ModuleStatusOf<T>, OptionQuery>;

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
		/// A module, and the deposit held for it, passed to a new owner (who accepted the offer).
		OwnershipTransferred { key: ModuleKeyOf<T>, from: T::AccountId, to: T::AccountId },
		/// The owner offered a module to `to`, who can accept it until block `expires_at`.
		TransferOffered {
			key: ModuleKeyOf<T>,
			from: T::AccountId,
			to: T::AccountId,
			expires_at: BlockNumberFor<T>,
		},
		/// A transfer offer was withdrawn by the owner or declined by the recipient.
		TransferCancelled { key: ModuleKeyOf<T>, owner: T::AccountId, to: T::AccountId },
		/// The owner yanked (`yanked: true`) or restored a revision.
		RevisionYanked { key: ModuleKeyOf<T>, owner: T::AccountId, revision: u32, yanked: bool },
		/// The owner deprecated the module with a note, or (`note: None`) lifted the deprecation.
		DeprecationSet { key: ModuleKeyOf<T>, owner: T::AccountId, note: Option<NoteOf<T>> },
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
		/// The module has no pending transfer offer.
		NoTransferOffer,
		/// Only the account the module was offered to may accept the offer.
		NotOfferRecipient,
		/// The transfer offer expired; the owner can offer again.
		OfferExpired,
		/// The module has no such revision (it is above the current one).
		NoSuchRevision,
		/// The revision already is yanked (or, to restore, is not yanked).
		YankUnchanged,
		/// The module already has `MaxYanked` yanked revisions.
		TooManyYanked,
		/// A deprecation note must be non-empty UTF-8.
		InvalidNote,
		/// The module already has this deprecation state.
		DeprecationUnchanged,
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
		/// - `proof`: [`KeyOwnershipProof`] that the signer controls `key`, binding
		///   the key's current history length (so it is good for one registration).
		///
		/// Emits `ModuleRegistered`.
		///
		/// Weight: O(1): a fixed number of reads and writes and at most two
		/// signature checks (the payload bare, then `<Bytes>`-wrapped, which the
		/// benchmark measures).
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

		/// Offer a module to another account; it passes to them when they call
		/// [`Pallet::accept_ownership`] within `TransferOfferLifetime` blocks.
		///
		/// The origin must be Signed by the module's owner. A new offer replaces a
		/// pending one. Nothing moves yet: the owner keeps the module (and may
		/// update it) until the recipient accepts.
		///
		/// - `key`: the module's public key.
		/// - `new_owner`: the account offered the module.
		///
		/// Emits `TransferOffered`.
		///
		/// Weight: O(1).
		///
		/// Errors: `ModuleNotFound`, `NotOwner`, `AlreadyOwner`.
		#[pallet::call_index(3)]
		pub fn transfer_ownership(
			origin: OriginFor<T>,
			key: ModuleKeyOf<T>,
			new_owner: <T::Lookup as StaticLookup>::Source,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let new_owner = T::Lookup::lookup(new_owner)?;
			Self::do_offer(who, key, new_owner)
		}

		/// Accept a module offered to the signer: it passes to them with its deposit.
		///
		/// The origin must be Signed by the account the pending offer names, before
		/// the offer expires. The deposit moves with the module: it is held on the
		/// new owner's account from then on, and released to them if they remove
		/// the module. The module takes one of the new owner's `MaxModulesPerOwner`
		/// slots.
		///
		/// - `key`: the module's public key.
		///
		/// Emits `OwnershipTransferred`.
		///
		/// Weight: O(1).
		///
		/// Errors: `ModuleNotFound`, `NoTransferOffer`, `NotOfferRecipient`,
		/// `OfferExpired`, `TooManyModules`, `NewOwnerCannotHoldDeposit`.
		#[pallet::call_index(4)]
		pub fn accept_ownership(origin: OriginFor<T>, key: ModuleKeyOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_accept(who, key)
		}

		/// Withdraw a pending transfer offer (the owner) or decline it (the recipient).
		///
		/// - `key`: the module's public key.
		///
		/// Emits `TransferCancelled`.
		///
		/// Weight: O(1).
		///
		/// Errors: `ModuleNotFound`, `NoTransferOffer`, `NotOwner` (neither the
		/// owner nor the recipient).
		#[pallet::call_index(5)]
		pub fn cancel_transfer(origin: OriginFor<T>, key: ModuleKeyOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cancel_transfer(who, key)
		}

		/// Yank a revision (`yanked: true`: clients skip it when resolving the
		/// latest version, but it stays resolvable by CID) or restore it.
		///
		/// The origin must be Signed by the module's owner. Each yanked revision
		/// adds 4 bytes to the record's deposit.
		///
		/// - `key`: the module's public key.
		/// - `revision`: a revision of the module, at most the current one.
		/// - `yanked`: whether it is to be yanked.
		///
		/// Emits `RevisionYanked`.
		///
		/// Weight: O(`MaxYanked`) (a bounded, sorted list).
		///
		/// Errors: `ModuleNotFound`, `NotOwner`, `NoSuchRevision`, `YankUnchanged`,
		/// `TooManyYanked`, `InsufficientDeposit`.
		#[pallet::call_index(6)]
		pub fn set_yanked(
			origin: OriginFor<T>,
			key: ModuleKeyOf<T>,
			revision: u32,
			yanked: bool,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_yanked(who, key, revision, yanked)
		}

		/// Deprecate a module with a note saying why and what to use instead, or
		/// (`note: None`) lift the deprecation.
		///
		/// The origin must be Signed by the module's owner. The note's bytes are
		/// added to the record's deposit.
		///
		/// - `key`: the module's public key.
		/// - `note`: non-empty UTF-8 of at most `MaxNoteLength` bytes, or `None`.
		///
		/// Emits `DeprecationSet`.
		///
		/// Weight: O(`MaxNoteLength`) (the note is checked to be UTF-8).
		///
		/// Errors: `ModuleNotFound`, `NotOwner`, `InvalidNote`,
		/// `DeprecationUnchanged`, `InsufficientDeposit`.
		#[pallet::call_index(7)]
		pub fn set_deprecation(
			origin: OriginFor<T>,
			key: ModuleKeyOf<T>,
			note: Option<NoteOf<T>>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_deprecation(who, key, note)
		}
	}
}
