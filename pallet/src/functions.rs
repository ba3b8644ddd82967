//! What the calls do, and the reads the runtime API serves.

use crate::{cid, proof, *};
use alloc::vec::Vec;
use codec::Encode;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, MutateHold},
		tokens::{DepositConsequence, Fortitude, Precision, Provenance, Restriction},
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{Saturating, Zero},
	DispatchResult,
};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_register(
		who: T::AccountId,
		key: ModuleKeyOf<T>,
		cid: CidOf<T>,
		proof: KeyOwnershipProof,
	) -> DispatchResult {
		Self::ensure_valid_key(&key)?;
		Self::ensure_valid_cid(&cid)?;
		ensure!(!Modules::<T>::contains_key(&key), Error::<T>::ModuleAlreadyExists);
		Self::ensure_key_proof(&who, &key, &proof)?;
		let owned = OwnedModuleCount::<T>::get(&who);
		ensure!(owned < T::MaxModulesPerOwner::get(), Error::<T>::TooManyModules);

		let deposit = Self::deposit_for(key.len(), cid.len());
		T::Currency::hold(&HoldReason::ModuleDeposit.into(), &who, deposit)
			.map_err(|_| Error::<T>::InsufficientDeposit)?;
		// A status left by an earlier registration of this key went with its record.
		debug_assert!(!ModuleStatuses::<T>::contains_key(&key));

		let now = frame_system::Pallet::<T>::block_number();
		let record = ModuleRecord {
			owner: who.clone(),
			cid: cid.clone(),
			revision: 0,
			registered_at: now,
			updated_at: now,
			deposit,
		};
		Modules::<T>::insert(&key, record);
		ModuleCount::<T>::mutate(|count| *count = count.saturating_add(1));
		OwnerModules::<T>::insert(&who, &key, ());
		OwnedModuleCount::<T>::insert(&who, owned.saturating_add(1));

		Self::record_event(&key, Event::ModuleRegistered { key: key.clone(), owner: who, cid });
		Ok(())
	}

	pub(crate) fn do_update(who: T::AccountId, key: ModuleKeyOf<T>, cid: CidOf<T>) -> DispatchResult {
		Self::ensure_valid_cid(&cid)?;
		let mut record = Modules::<T>::get(&key).ok_or(Error::<T>::ModuleNotFound)?;
		ensure!(record.owner == who, Error::<T>::NotOwner);
		ensure!(record.cid != cid, Error::<T>::CidUnchanged);

		let status = ModuleStatuses::<T>::get(&key).unwrap_or_default();
		let new_deposit = Self::deposit_for(key.len(), cid.len().saturating_add(Self::status_bytes(&status)));
		Self::adjust_deposit(&who, record.deposit, new_deposit)?;

		let old_cid = core::mem::replace(&mut record.cid, cid.clone());
		record.revision = record.revision.saturating_add(1);
		record.updated_at = frame_system::Pallet::<T>::block_number();
		record.deposit = new_deposit;
		let revision = record.revision;
		Modules::<T>::insert(&key, record);

		Self::record_event(
			&key,
			Event::ModuleUpdated { key: key.clone(), owner: who, old_cid, new_cid: cid, revision },
		);
		Ok(())
	}

	pub(crate) fn do_remove(who: T::AccountId, key: ModuleKeyOf<T>) -> DispatchResult {
		let record = Modules::<T>::get(&key).ok_or(Error::<T>::ModuleNotFound)?;
		ensure!(record.owner == who, Error::<T>::NotOwner);

		T::Currency::release(&HoldReason::ModuleDeposit.into(), &who, record.deposit, Precision::Exact)?;
		Modules::<T>::remove(&key);
		ModuleStatuses::<T>::remove(&key);
		ModuleCount::<T>::mutate(|count| *count = count.saturating_sub(1));
		OwnerModules::<T>::remove(&who, &key);
		OwnedModuleCount::<T>::mutate_exists(&who, |owned| {
			*owned = owned.map(|n| n.saturating_sub(1)).filter(|n| *n > 0)
		});

		Self::record_event(&key, Event::ModuleRemoved { key: key.clone(), owner: who });
		Ok(())
	}

	pub(crate) fn do_offer(
		who: T::AccountId,
		key: ModuleKeyOf<T>,
		to: T::AccountId,
	) -> DispatchResult {
		let record = Modules::<T>::get(&key).ok_or(Error::<T>::ModuleNotFound)?;
		ensure!(record.owner == who, Error::<T>::NotOwner);
		ensure!(to != who, Error::<T>::AlreadyOwner);

		let expires_at =
			frame_system::Pallet::<T>::block_number().saturating_add(T::TransferOfferLifetime::get());
		let mut status = ModuleStatuses::<T>::get(&key).unwrap_or_default();
		status.transfer_offer = Some(TransferOffer { to: to.clone(), expires_at });
		Self::put_status(&key, status);

		Self::record_event(&key, Event::TransferOffered { key: key.clone(), from: who, to, expires_at });
		Ok(())
	}

	pub(crate) fn do_cancel_transfer(who: T::AccountId, key: ModuleKeyOf<T>) -> DispatchResult {
		let record = Modules::<T>::get(&key).ok_or(Error::<T>::ModuleNotFound)?;
		let mut status = ModuleStatuses::<T>::get(&key).unwrap_or_default();
		let offer = status.transfer_offer.take().ok_or(Error::<T>::NoTransferOffer)?;
		ensure!(who == record.owner || who == offer.to, Error::<T>::NotOwner);
		Self::put_status(&key, status);

		Self::record_event(
			&key,
			Event::TransferCancelled { key: key.clone(), owner: record.owner, to: offer.to },
		);
		Ok(())
	}

	pub(crate) fn do_accept(new_owner: T::AccountId, key: ModuleKeyOf<T>) -> DispatchResult {
		let mut record = Modules::<T>::get(&key).ok_or(Error::<T>::ModuleNotFound)?;
		let mut status = ModuleStatuses::<T>::get(&key).unwrap_or_default();
		let offer = status.transfer_offer.take().ok_or(Error::<T>::NoTransferOffer)?;
		ensure!(offer.to == new_owner, Error::<T>::NotOfferRecipient);
		ensure!(
			frame_system::Pallet::<T>::block_number() <= offer.expires_at,
			Error::<T>::OfferExpired
		);
		let who = record.owner.clone();
		let new_owned = OwnedModuleCount::<T>::get(&new_owner);
		ensure!(new_owned < T::MaxModulesPerOwner::get(), Error::<T>::TooManyModules);
		ensure!(
			T::Currency::can_deposit(&new_owner, record.deposit, Provenance::Extant) ==
				DepositConsequence::Success,
			Error::<T>::NewOwnerCannotHoldDeposit
		);

		T::Currency::transfer_on_hold(
			&HoldReason::ModuleDeposit.into(),
			&who,
			&new_owner,
			record.deposit,
			Precision::Exact,
			Restriction::OnHold,
			Fortitude::Polite,
		)
		.map_err(|_| Error::<T>::NewOwnerCannotHoldDeposit)?;

		record.owner = new_owner.clone();
		Modules::<T>::insert(&key, record);
		Self::put_status(&key, status);
		OwnerModules::<T>::remove(&who, &key);
		OwnedModuleCount::<T>::mutate_exists(&who, |owned| {
			*owned = owned.map(|n| n.saturating_sub(1)).filter(|n| *n > 0)
		});
		OwnerModules::<T>::insert(&new_owner, &key, ());
		OwnedModuleCount::<T>::insert(&new_owner, new_owned.saturating_add(1));

		Self::record_event(
			&key,
			Event::OwnershipTransferred { key: key.clone(), from: who, to: new_owner },
		);
		Ok(())
	}

	pub(crate) fn do_set_yanked(
		who: T::AccountId,
		key: ModuleKeyOf<T>,
		revision: u32,
		yanked: bool,
	) -> DispatchResult {
		let mut record = Modules::<T>::get(&key).ok_or(Error::<T>::ModuleNotFound)?;
		ensure!(record.owner == who, Error::<T>::NotOwner);
		ensure!(revision <= record.revision, Error::<T>::NoSuchRevision);

		let mut status = ModuleStatuses::<T>::get(&key).unwrap_or_default();
		match (status.yanked.binary_search(&revision), yanked) {
			(Err(at), true) => status
				.yanked
				.try_insert(at, revision)
				.map_err(|_| Error::<T>::TooManyYanked)?,
			(Ok(at), false) => {
				status.yanked.remove(at);
			},
			_ => return Err(Error::<T>::YankUnchanged.into()),
		}
		Self::set_status_and_deposit(&who, &key, &mut record, status)?;

		Self::record_event(&key, Event::RevisionYanked { key: key.clone(), owner: who, revision, yanked });
		Ok(())
	}

	pub(crate) fn do_set_deprecation(
		who: T::AccountId,
		key: ModuleKeyOf<T>,
		note: Option<NoteOf<T>>,
	) -> DispatchResult {
		let mut record = Modules::<T>::get(&key).ok_or(Error::<T>::ModuleNotFound)?;
		ensure!(record.owner == who, Error::<T>::NotOwner);
		if let Some(note) = &note {
			ensure!(!note.is_empty() && core::str::from_utf8(note).is_ok(), Error::<T>::InvalidNote);
		}
		let mut status = ModuleStatuses::<T>::get(&key).unwrap_or_default();
		ensure!(status.deprecation != note, Error::<T>::DeprecationUnchanged);
		status.deprecation = note.clone();
		Self::set_status_and_deposit(&who, &key, &mut record, status)?;

		Self::record_event(&key, Event::DeprecationSet { key: key.clone(), owner: who, note });
		Ok(())
	}

	/// Emits `event` and adds it to `key`'s history commitment.
	fn record_event(key: &ModuleKeyOf<T>, event: Event<T>) {
		let block = frame_system::Pallet::<T>::block_number().encode();
		ModuleHistory::<T>::mutate(key, |history| *history = history.next(&block, &event.encode()));
		Self::deposit_event(event);
	}

	/// Bytes of a status that the deposit covers: 4 per yanked revision and the note.
	fn status_bytes(status: &ModuleStatusOf<T>) -> usize {
		status
			.yanked
			.len()
			.saturating_mul(4)
			.saturating_add(status.deprecation.as_ref().map_or(0, |note| note.len()))
	}

	/// Stores `status` (or removes it when empty).
	fn put_status(key: &ModuleKeyOf<T>, status: ModuleStatusOf<T>) {
		if status.is_empty() {
			ModuleStatuses::<T>::remove(key);
		} else {
			ModuleStatuses::<T>::insert(key, status);
		}
	}

	/// Stores `status` and holds the owner's deposit at what the record and status now need.
	fn set_status_and_deposit(
		who: &T::AccountId,
		key: &ModuleKeyOf<T>,
		record: &mut ModuleRecordOf<T>,
		status: ModuleStatusOf<T>,
	) -> DispatchResult {
		let deposit = Self::deposit_for(
			key.len(),
			record.cid.len().saturating_add(Self::status_bytes(&status)),
		);
		Self::adjust_deposit(who, record.deposit, deposit)?;
		record.deposit = deposit;
		Modules::<T>::insert(key, &*record);
		Self::put_status(key, status);
		Ok(())
	}

	/// The deposit for a record with a key of `key_len` and a CID of `cid_len` bytes.
	pub fn deposit_for(key_len: usize, cid_len: usize) -> BalanceOf<T> {
		let bytes = BalanceOf::<T>::from((key_len.saturating_add(cid_len)) as u32);
		T::DepositBase::get().saturating_add(T::DepositPerByte::get().saturating_mul(bytes))
	}

	/// The module registered under `key`, if any (served by the runtime API).
	pub fn module(key: &[u8]) -> Option<ModuleRecordOf<T>> {
		let key = ModuleKeyOf::<T>::try_from(key.to_vec()).ok()?;
		Modules::<T>::get(key)
	}

	/// Keys of the modules `owner` owns (at most `MaxModulesPerOwner`).
	pub fn modules_of(owner: &T::AccountId) -> Vec<ModuleKeyOf<T>> {
		OwnerModules::<T>::iter_key_prefix(owner).collect()
	}

	/// Up to `limit` (at most [`MAX_PAGE`]) modules in storage order, after
	/// `start_after` or from the first. Storage order is the order of the
	/// keys' hashes: stable, and a page costs O(`limit`) however many modules
	/// there are. A `start_after` that is no longer registered still works:
	/// the page starts where its storage key would be. One longer than any
	/// module key gives an empty page.
	pub fn modules_page(
		start_after: Option<&[u8]>,
		limit: u32,
	) -> Vec<(ModuleKeyOf<T>, ModuleRecordOf<T>)> {
		let limit = limit.min(MAX_PAGE) as usize;
		match start_after.map(|after| ModuleKeyOf::<T>::try_from(after.to_vec())) {
			None => Modules::<T>::iter().take(limit).collect(),
			Some(Ok(after)) =>
				Modules::<T>::iter_from(Modules::<T>::hashed_key_for(&after)).take(limit).collect(),
			Some(Err(_)) => Vec::new(),
		}
	}

	/// Like [`Self::modules_page`], for the modules `owner` owns, with their records.
	pub fn modules_of_page(
		owner: &T::AccountId,
		start_after: Option<&[u8]>,
		limit: u32,
	) -> Vec<(ModuleKeyOf<T>, ModuleRecordOf<T>)> {
		let limit = limit.min(MAX_PAGE) as usize;
		let keys = match start_after.map(|after| ModuleKeyOf::<T>::try_from(after.to_vec())) {
			None => OwnerModules::<T>::iter_key_prefix(owner),
			Some(Ok(after)) => OwnerModules::<T>::iter_key_prefix_from(
				owner,
				OwnerModules::<T>::hashed_key_for(owner, &after),
			),
			Some(Err(_)) => return Vec::new(),
		};
		keys.take(limit)
			.filter_map(|key| Modules::<T>::get(&key).map(|record| (key, record)))
			.collect()
	}

	/// The key's history commitment (zero length and head if it never had an event).
	pub fn history(key: &[u8]) -> HistoryHead {
		ModuleKeyOf::<T>::try_from(key.to_vec())
			.map(ModuleHistory::<T>::get)
			.unwrap_or_default()
	}

	/// The status kept beside the module's record, if any is set.
	pub fn status(key: &[u8]) -> Option<ModuleStatusOf<T>> {
		ModuleKeyOf::<T>::try_from(key.to_vec()).ok().and_then(ModuleStatuses::<T>::get)
	}

	/// The genesis hash, as key-ownership proofs bind it.
	pub fn genesis_hash() -> T::Hash {
		frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero())
	}

	fn adjust_deposit(
		who: &T::AccountId,
		old: BalanceOf<T>,
		new: BalanceOf<T>,
	) -> DispatchResult {
		let reason = HoldReason::ModuleDeposit.into();
		if new > old {
			T::Currency::hold(&reason, who, new.saturating_sub(old))
				.map_err(|_| Error::<T>::InsufficientDeposit)?;
		} else if old > new {
			T::Currency::release(&reason, who, old.saturating_sub(new), Precision::Exact)?;
		}
		Ok(())
	}

	fn ensure_valid_key(key: &ModuleKeyOf<T>) -> DispatchResult {
		ensure!(matches!(key.len(), 32 | 33), Error::<T>::InvalidKeyLength);
		Ok(())
	}

	fn ensure_valid_cid(bytes: &CidOf<T>) -> DispatchResult {
		cid::parse(bytes).map(|_| ()).map_err(|e| {
			match e {
				cid::CidError::Malformed => Error::<T>::MalformedCid,
				cid::CidError::UnsupportedVersion => Error::<T>::UnsupportedCidVersion,
				cid::CidError::UnsupportedCodec => Error::<T>::UnsupportedCodec,
				cid::CidError::UnsupportedHash => Error::<T>::UnsupportedHash,
			}
			.into()
		})
	}

	fn ensure_key_proof(
		who: &T::AccountId,
		key: &ModuleKeyOf<T>,
		key_proof: &KeyOwnershipProof,
	) -> DispatchResult {
		let account = who.encode();
		let valid = match key_proof {
			KeyOwnershipProof::SignerIsKey => account == key.as_slice(),
			KeyOwnershipProof::Signature(signature) => {
				let nonce = ModuleHistory::<T>::get(key).length;
				let payload = proof::payload(Self::genesis_hash().as_ref(), &account, key, nonce);
				proof::verify(signature, key, &payload)
			},
		};
		ensure!(valid, Error::<T>::BadKeyProof);
		Ok(())
	}
}

#[cfg(any(feature = "try-runtime", test))]
impl<T: Config> Pallet<T> {
	/// Checks every invariant of the registry's storage.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		Self::check_count()?;
		Self::check_owner_index()?;
		Self::check_statuses()?;
		Self::check_deposits()
	}

	/// Statuses belong to registered modules, are never stored empty, list
	/// yanked revisions ascending and at most the current revision, and the
	/// record's deposit covers the status's bytes.
	fn check_statuses() -> Result<(), sp_runtime::TryRuntimeError> {
		for (key, status) in ModuleStatuses::<T>::iter() {
			let record = Modules::<T>::get(&key).ok_or("status of a missing module")?;
			ensure!(!status.is_empty(), "an empty status is stored");
			ensure!(status.yanked.windows(2).all(|w| w[0] < w[1]), "yanked revisions unsorted");
			ensure!(
				status.yanked.last().map_or(true, |last| *last <= record.revision),
				"a yanked revision above the current one"
			);
			if let Some(offer) = &status.transfer_offer {
				ensure!(offer.to != record.owner, "a module offered to its own owner");
			}
		}
		for (key, record) in Modules::<T>::iter() {
			let status = ModuleStatuses::<T>::get(&key).unwrap_or_default();
			ensure!(
				record.deposit ==
					Self::deposit_for(key.len(), record.cid.len() + Self::status_bytes(&status)),
				"a record's deposit differs from what its key, CID and status need"
			);
		}
		Ok(())
	}

	/// `ModuleCount` equals the number of entries in `Modules`.
	fn check_count() -> Result<(), sp_runtime::TryRuntimeError> {
		ensure!(
			ModuleCount::<T>::get() == Modules::<T>::iter_keys().count() as u64,
			"ModuleCount differs from the number of modules"
		);
		Ok(())
	}

	/// `OwnerModules` holds exactly one entry per module, under its owner, and
	/// `OwnedModuleCount` counts them.
	fn check_owner_index() -> Result<(), sp_runtime::TryRuntimeError> {
		for (owner, key, ()) in OwnerModules::<T>::iter() {
			let record = Modules::<T>::get(&key).ok_or("owner index names a missing module")?;
			ensure!(record.owner == owner, "owner index names the wrong owner");
		}
		for (key, record) in Modules::<T>::iter() {
			ensure!(
				OwnerModules::<T>::contains_key(&record.owner, &key),
				"module missing from the owner index"
			);
		}
		for (owner, count) in OwnedModuleCount::<T>::iter() {
			let indexed = OwnerModules::<T>::iter_key_prefix(&owner).count() as u32;
			ensure!(count == indexed && count > 0, "OwnedModuleCount differs from the owner index");
			ensure!(count <= T::MaxModulesPerOwner::get(), "owner exceeds MaxModulesPerOwner");
		}
		ensure!(
			OwnerModules::<T>::iter_keys().count() == Modules::<T>::iter_keys().count(),
			"owner index and modules differ in size"
		);
		Ok(())
	}

	/// Each owner's held deposit equals the sum of their records' deposits.
	fn check_deposits() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::traits::fungible::InspectHold;
		let reason = HoldReason::ModuleDeposit.into();
		for owner in OwnedModuleCount::<T>::iter_keys() {
			let expected = OwnerModules::<T>::iter_key_prefix(&owner)
				.filter_map(|key| Modules::<T>::get(key))
				.fold(BalanceOf::<T>::zero(), |sum, record| sum.saturating_add(record.deposit));
			ensure!(
				T::Currency::balance_on_hold(&reason, &owner) == expected,
				"held deposit differs from the sum of the owner's records"
			);
		}
		Ok(())
	}
}
