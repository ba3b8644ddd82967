//! Unit tests of every call's success path and every error path.

use crate::{cid, mock::*, proof, *};
use codec::{Decode, Encode};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
	BoundedVec,
};
use sp_core::{ecdsa, ed25519, sr25519, Pair};
use sp_runtime::{DispatchError, MultiSignature, TokenError};

type Registry = crate::Pallet<Test>;

fn key_of(account: &AccountId) -> ModuleKeyOf<Test> {
	BoundedVec::try_from(account.encode()).unwrap()
}

fn bytes_key(bytes: &[u8]) -> ModuleKeyOf<Test> {
	BoundedVec::try_from(bytes.to_vec()).unwrap()
}

/// A valid raw/sha2-256 CIDv1 whose digest is `[n; 32]`.
fn cid_n(n: u8) -> CidOf<Test> {
	BoundedVec::try_from(cid::cid_v1(cid::CODEC_RAW, cid::HASH_SHA2_256, &[n; 32])).unwrap()
}

fn raw_cid(bytes: Vec<u8>) -> CidOf<Test> {
	BoundedVec::try_from(bytes).unwrap()
}

/// What `account` needs signed to register `key` now (the key's current history length as nonce).
fn payload_for(account: &AccountId, key: &[u8]) -> Vec<u8> {
	let nonce = Registry::history(key).length;
	proof::payload(Registry::genesis_hash().as_ref(), &account.encode(), key, nonce)
}

fn sr25519_proof(pair: &sr25519::Pair, account: &AccountId) -> KeyOwnershipProof {
	KeyOwnershipProof::Signature(MultiSignature::Sr25519(pair.sign(&payload_for(account, &pair.public().0))))
}

fn module_pair(seed: &str) -> sr25519::Pair {
	sr25519::Pair::from_string(seed, None).unwrap()
}

fn hold_of(who: &AccountId) -> Balance {
	Balances::balance_on_hold(&RuntimeHoldReason::ModuleRegistry(HoldReason::ModuleDeposit), who)
}

fn deposit(key_len: usize, cid_len: usize) -> Balance {
	DEPOSIT_BASE + DEPOSIT_PER_BYTE * (key_len + cid_len) as Balance
}

/// Registers Alice's own account key as a module with `cid_n(1)`.
fn register_alice() -> ModuleKeyOf<Test> {
	let key = key_of(&alice());
	assert_ok!(Registry::register_module(
		RuntimeOrigin::signed(alice()),
		key.clone(),
		cid_n(1),
		KeyOwnershipProof::SignerIsKey
	));
	key
}

fn last_event() -> RuntimeEvent {
	System::events().pop().expect("an event").event
}

fn check_invariants() {
	Registry::do_try_state().expect("storage invariants hold");
}

mod register {
	use super::*;

	#[test]
	fn own_account_key_registers_and_holds_deposit() {
		new_test_ext().execute_with(|| {
			let key = register_alice();
			let record = Modules::<Test>::get(&key).unwrap();
			assert_eq!(record.owner, alice());
			assert_eq!(record.cid, cid_n(1));
			assert_eq!((record.revision, record.registered_at, record.updated_at), (0, 1, 1));
			assert_eq!(record.deposit, deposit(32, 36));
			assert_eq!(hold_of(&alice()), deposit(32, 36));
			assert_eq!(Balances::balance(&alice()), ENDOWMENT - deposit(32, 36));
			assert_eq!(ModuleCount::<Test>::get(), 1);
			assert_eq!(Registry::modules_of(&alice()), vec![key.clone()]);
			assert_eq!(
				last_event(),
				Event::ModuleRegistered { key, owner: alice(), cid: cid_n(1) }.into()
			);
			check_invariants();
		});
	}

	#[test]
	fn sr25519_signature_proves_a_separate_key() {
		new_test_ext().execute_with(|| {
			let pair = module_pair("//module-sr");
			let key = bytes_key(&pair.public().0);
			assert_ok!(Registry::register_module(
				RuntimeOrigin::signed(alice()),
				key.clone(),
				cid_n(2),
				sr25519_proof(&pair, &alice())
			));
			assert_eq!(Modules::<Test>::get(&key).unwrap().owner, alice());
			check_invariants();
		});
	}

	#[test]
	fn ed25519_signature_proves_a_key() {
		new_test_ext().execute_with(|| {
			let pair = ed25519::Pair::from_string("//module-ed", None).unwrap();
			let key = bytes_key(&pair.public().0);
			let sig = pair.sign(&payload_for(&bob(), &key));
			assert_ok!(Registry::register_module(
				RuntimeOrigin::signed(bob()),
				key.clone(),
				cid_n(3),
				KeyOwnershipProof::Signature(MultiSignature::Ed25519(sig))
			));
			assert!(Modules::<Test>::contains_key(&key));
		});
	}

	#[test]
	fn ecdsa_signature_proves_a_33_byte_key() {
		new_test_ext().execute_with(|| {
			let pair = ecdsa::Pair::from_string("//module-ecdsa", None).unwrap();
			let key = bytes_key(&pair.public().0);
			assert_eq!(key.len(), 33);
			let sig = pair.sign(&payload_for(&bob(), &key));
			assert_ok!(Registry::register_module(
				RuntimeOrigin::signed(bob()),
				key.clone(),
				cid_n(4),
				KeyOwnershipProof::Signature(MultiSignature::Ecdsa(sig))
			));
			assert_eq!(Modules::<Test>::get(&key).unwrap().deposit, deposit(33, 36));
			check_invariants();
		});
	}

	#[test]
	fn wallet_wrapped_signature_is_accepted() {
		new_test_ext().execute_with(|| {
			let pair = module_pair("//module-wrapped");
			let key = bytes_key(&pair.public().0);
			let mut wrapped = b"<Bytes>".to_vec();
			wrapped.extend(payload_for(&alice(), &key));
			wrapped.extend(b"</Bytes>");
			let proof = KeyOwnershipProof::Signature(MultiSignature::Sr25519(pair.sign(&wrapped)));
			assert_ok!(Registry::register_module(RuntimeOrigin::signed(alice()), key, cid_n(5), proof));
		});
	}

	#[test]
	fn cidv0_and_other_codecs_are_accepted() {
		new_test_ext().execute_with(|| {
			let v0: Vec<u8> = [0x12, 0x20].into_iter().chain([9u8; 32]).collect();
			let json = cid::cid_v1(cid::CODEC_DAG_JSON, cid::HASH_BLAKE2B_256, &[8; 32]);
			for (seed, bytes) in [("//v0", v0), ("//json", json)] {
				let pair = module_pair(seed);
				assert_ok!(Registry::register_module(
					RuntimeOrigin::signed(alice()),
					bytes_key(&pair.public().0),
					raw_cid(bytes),
					sr25519_proof(&pair, &alice())
				));
			}
		});
	}

	#[test]
	fn duplicate_key_fails() {
		new_test_ext().execute_with(|| {
			let key = register_alice();
			assert_noop!(
				Registry::register_module(
					RuntimeOrigin::signed(alice()),
					key,
					cid_n(2),
					KeyOwnershipProof::SignerIsKey
				),
				Error::<Test>::ModuleAlreadyExists
			);
		});
	}

	#[test]
	fn someone_elses_account_key_fails() {
		new_test_ext().execute_with(|| {
			assert_noop!(
				Registry::register_module(
					RuntimeOrigin::signed(bob()),
					key_of(&alice()),
					cid_n(1),
					KeyOwnershipProof::SignerIsKey
				),
				Error::<Test>::BadKeyProof
			);
		});
	}

	#[test]
	fn signature_by_another_key_fails() {
		new_test_ext().execute_with(|| {
			let pair = module_pair("//module");
			let other = module_pair("//other");
			let key = bytes_key(&pair.public().0);
			let sig = other.sign(&payload_for(&alice(), &key));
			assert_noop!(
				Registry::register_module(
					RuntimeOrigin::signed(alice()),
					key,
					cid_n(1),
					KeyOwnershipProof::Signature(MultiSignature::Sr25519(sig))
				),
				Error::<Test>::BadKeyProof
			);
		});
	}

	#[test]
	fn proof_replayed_by_another_account_fails() {
		new_test_ext().execute_with(|| {
			let pair = module_pair("//module");
			// Bob saw the proof made for Alice and tries to use it first.
			let proof = sr25519_proof(&pair, &alice());
			assert_noop!(
				Registry::register_module(
					RuntimeOrigin::signed(bob()),
					bytes_key(&pair.public().0),
					cid_n(1),
					proof
				),
				Error::<Test>::BadKeyProof
			);
		});
	}

	#[test]
	fn proof_from_another_chain_fails() {
		new_test_ext().execute_with(|| {
			let pair = module_pair("//module");
			let key = bytes_key(&pair.public().0);
			let other_genesis = [7u8; 32];
			let sig = pair.sign(&proof::payload(&other_genesis, &alice().encode(), &key, 0));
			assert_noop!(
				Registry::register_module(
					RuntimeOrigin::signed(alice()),
					key,
					cid_n(1),
					KeyOwnershipProof::Signature(MultiSignature::Sr25519(sig))
				),
				Error::<Test>::BadKeyProof
			);
		});
	}

	#[test]
	fn signature_of_the_wrong_scheme_fails() {
		new_test_ext().execute_with(|| {
			// An ed25519 signature claimed for an sr25519 key, and an Eth signature.
			let pair = module_pair("//module");
			let key = bytes_key(&pair.public().0);
			let ed = ed25519::Pair::from_string("//module", None).unwrap();
			let wrong = MultiSignature::Ed25519(ed.sign(&payload_for(&alice(), &key)));
			let eth = MultiSignature::Eth(ecdsa::KeccakSignature::default());
			for sig in [wrong, eth] {
				assert_noop!(
					Registry::register_module(
						RuntimeOrigin::signed(alice()),
						key.clone(),
						cid_n(1),
						KeyOwnershipProof::Signature(sig)
					),
					Error::<Test>::BadKeyProof
				);
			}
		});
	}

	#[test]
	fn key_of_wrong_length_fails() {
		new_test_ext().execute_with(|| {
			for len in [0usize, 1, 31] {
				assert_noop!(
					Registry::register_module(
						RuntimeOrigin::signed(alice()),
						bytes_key(&vec![1; len]),
						cid_n(1),
						KeyOwnershipProof::SignerIsKey
					),
					Error::<Test>::InvalidKeyLength
				);
			}
		});
	}

	#[test]
	fn malformed_and_unsupported_cids_fail() {
		new_test_ext().execute_with(|| {
			let good = cid::cid_v1(cid::CODEC_RAW, cid::HASH_SHA2_256, &[1; 32]);
			let cases = vec![
				(good[..20].to_vec(), Error::<Test>::MalformedCid),
				(good.iter().copied().chain([0]).collect(), Error::<Test>::MalformedCid),
				(vec![], Error::<Test>::MalformedCid),
				([2u8].into_iter().chain(good[1..].iter().copied()).collect(), Error::<Test>::UnsupportedCidVersion),
				(cid::cid_v1(0x78, cid::HASH_SHA2_256, &[1; 32]), Error::<Test>::UnsupportedCodec),
				(cid::cid_v1(cid::CODEC_RAW, cid::HASH_IDENTITY, b"abc"), Error::<Test>::UnsupportedHash),
				(b"bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku".to_vec(), Error::<Test>::UnsupportedCidVersion),
			];
			for (bytes, error) in cases {
				assert_noop!(
					Registry::register_module(
						RuntimeOrigin::signed(alice()),
						key_of(&alice()),
						raw_cid(bytes),
						KeyOwnershipProof::SignerIsKey
					),
					error
				);
			}
		});
	}

	#[test]
	fn oversize_key_or_cid_cannot_even_be_decoded() {
		// Call arguments are bounded: an oversize key or CID never reaches dispatch.
		let oversize_key = crate::Call::<Test>::register_module {
			key: bytes_key(&[1; 32]),
			cid: cid_n(1),
			proof: KeyOwnershipProof::SignerIsKey,
		}
		.encode();
		// Re-encode with a 34-byte key (one over MaxKeyLength) in place of the 32-byte one.
		let mut tampered = oversize_key[..1].to_vec();
		tampered.extend(vec![1u8; 34].encode());
		tampered.extend(cid_n(1).encode());
		tampered.extend(KeyOwnershipProof::SignerIsKey.encode());
		assert!(crate::Call::<Test>::decode(&mut &tampered[..]).is_err());

		let mut long_cid = oversize_key[..1].to_vec();
		long_cid.extend(vec![1u8; 32].encode());
		long_cid.extend(vec![1u8; 65].encode());
		long_cid.extend(KeyOwnershipProof::SignerIsKey.encode());
		assert!(crate::Call::<Test>::decode(&mut &long_cid[..]).is_err());
		// The untampered encoding decodes, so the failures above are about size.
		assert!(crate::Call::<Test>::decode(&mut &oversize_key[..]).is_ok());
	}

	#[test]
	fn unaffordable_deposit_fails() {
		new_test_ext().execute_with(|| {
			assert_noop!(
				Registry::register_module(
					RuntimeOrigin::signed(pauper()),
					key_of(&pauper()),
					cid_n(1),
					KeyOwnershipProof::SignerIsKey
				),
				Error::<Test>::InsufficientDeposit
			);
		});
	}

	#[test]
	fn per_owner_limit_is_enforced() {
		new_test_ext().execute_with(|| {
			for i in 0..MAX_MODULES_PER_OWNER {
				let pair = module_pair(&format!("//m{i}"));
				assert_ok!(Registry::register_module(
					RuntimeOrigin::signed(alice()),
					bytes_key(&pair.public().0),
					cid_n(1),
					sr25519_proof(&pair, &alice())
				));
			}
			let pair = module_pair("//one-too-many");
			assert_noop!(
				Registry::register_module(
					RuntimeOrigin::signed(alice()),
					bytes_key(&pair.public().0),
					cid_n(1),
					sr25519_proof(&pair, &alice())
				),
				Error::<Test>::TooManyModules
			);
			check_invariants();
		});
	}

	#[test]
	fn unsigned_origin_fails() {
		new_test_ext().execute_with(|| {
			assert_noop!(
				Registry::register_module(
					RuntimeOrigin::none(),
					key_of(&alice()),
					cid_n(1),
					KeyOwnershipProof::SignerIsKey
				),
				DispatchError::BadOrigin
			);
		});
	}
}

mod update {
	use super::*;

	#[test]
	fn owner_updates_and_revision_bumps() {
		new_test_ext().execute_with(|| {
			let key = register_alice();
			System::set_block_number(5);
			assert_ok!(Registry::update_module(RuntimeOrigin::signed(alice()), key.clone(), cid_n(2)));
			let record = Modules::<Test>::get(&key).unwrap();
			assert_eq!((record.cid.clone(), record.revision, record.registered_at, record.updated_at), (cid_n(2), 1, 1, 5));
			assert_eq!(
				last_event(),
				Event::ModuleUpdated {
					key: key.clone(),
					owner: alice(),
					old_cid: cid_n(1),
					new_cid: cid_n(2),
					revision: 1
				}
				.into()
			);
			assert_ok!(Registry::update_module(RuntimeOrigin::signed(alice()), key.clone(), cid_n(3)));
			assert_eq!(Modules::<Test>::get(&key).unwrap().revision, 2);
			check_invariants();
		});
	}

	#[test]
	fn deposit_follows_cid_size() {
		new_test_ext().execute_with(|| {
			let key = register_alice();
			let v0: Vec<u8> = [0x12, 0x20].into_iter().chain([9u8; 32]).collect();
			assert_ok!(Registry::update_module(RuntimeOrigin::signed(alice()), key.clone(), raw_cid(v0)));
			assert_eq!(hold_of(&alice()), deposit(32, 34));
			let json = cid::cid_v1(cid::CODEC_DAG_JSON, cid::HASH_BLAKE2B_256, &[8; 32]);
			assert_ok!(Registry::update_module(RuntimeOrigin::signed(alice()), key.clone(), raw_cid(json)));
			assert_eq!(hold_of(&alice()), deposit(32, 39));
			assert_eq!(Modules::<Test>::get(&key).unwrap().deposit, deposit(32, 39));
			check_invariants();
		});
	}

	#[test]
	fn larger_deposit_must_be_affordable() {
		new_test_ext().execute_with(|| {
			let key = register_alice();
			// Leave Alice just the existential deposit.
			let spare = Balances::balance(&alice()) - 1;
			assert_ok!(Balances::transfer_allow_death(RuntimeOrigin::signed(alice()), bob(), spare));
			let json = cid::cid_v1(cid::CODEC_DAG_JSON, cid::HASH_BLAKE2B_256, &[8; 32]);
			assert_noop!(
				Registry::update_module(RuntimeOrigin::signed(alice()), key, raw_cid(json)),
				Error::<Test>::InsufficientDeposit
			);
		});
	}

	#[test]
	fn non_owner_fails() {
		new_test_ext().execute_with(|| {
			let key = register_alice();
			assert_noop!(
				Registry::update_module(RuntimeOrigin::signed(bob()), key, cid_n(2)),
				Error::<Test>::NotOwner
			);
		});
	}

	#[test]
	fn missing_module_fails() {
		new_test_ext().execute_with(|| {
			assert_noop!(
				Registry::update_module(RuntimeOrigin::signed(alice()), key_of(&alice()), cid_n(2)),
				Error::<Test>::ModuleNotFound
			);
		});
	}

	#[test]
	fn same_cid_fails() {
		new_test_ext().execute_with(|| {
			let key = register_alice();
			assert_noop!(
				Registry::update_module(RuntimeOrigin::signed(alice()), key, cid_n(1)),
				Error::<Test>::CidUnchanged
			);
		});
	}

	#[test]
	fn invalid_cid_fails() {
		new_test_ext().execute_with(|| {
			let key = register_alice();
			assert_noop!(
				Registry::update_module(RuntimeOrigin::signed(alice()), key, raw_cid(vec![1, 2, 3])),
				Error::<Test>::UnsupportedCodec
			);
		});
	}
}

mod remove {
	use super::*;

	#[test]
	fn owner_removes_and_gets_deposit_back() {
		new_test_ext().execute_with(|| {
			let key = register_alice();
			assert_ok!(Registry::remove_module(RuntimeOrigin::signed(alice()), key.clone()));
			assert!(!Modules::<Test>::contains_key(&key));
			assert_eq!(ModuleCount::<Test>::get(), 0);
			assert!(Registry::modules_of(&alice()).is_empty());
			assert_eq!(OwnedModuleCount::<Test>::get(alice()), 0);
			assert_eq!(hold_of(&alice()), 0);
			assert_eq!(Balances::balance(&alice()), ENDOWMENT);
			assert_eq!(last_event(), Event::ModuleRemoved { key: key.clone(), owner: alice() }.into());
			check_invariants();
			// The key is free again.
			assert_ok!(Registry::register_module(
				RuntimeOrigin::signed(alice()),
				key,
				cid_n(9),
				KeyOwnershipProof::SignerIsKey
			));
		});
	}

	#[test]
	fn non_owner_fails() {
		new_test_ext().execute_with(|| {
			let key = register_alice();
			assert_noop!(
				Registry::remove_module(RuntimeOrigin::signed(bob()), key),
				Error::<Test>::NotOwner
			);
		});
	}

	#[test]
	fn missing_module_fails() {
		new_test_ext().execute_with(|| {
			assert_noop!(
				Registry::remove_module(RuntimeOrigin::signed(alice()), key_of(&alice())),
				Error::<Test>::ModuleNotFound
			);
		});
	}
}

mod transfer {
	use super::*;

	fn offer(key: &ModuleKeyOf<Test>, from: AccountId, to: AccountId) {
		assert_ok!(Registry::transfer_ownership(RuntimeOrigin::signed(from), key.clone(), to));
	}

	#[test]
	fn offer_then_accept_moves_module_and_deposit() {
		new_test_ext().execute_with(|| {
			let key = register_alice();
			let held = hold_of(&alice());
			offer(&key, alice(), bob());
			// Nothing moves on the offer.
			assert_eq!(Modules::<Test>::get(&key).unwrap().owner, alice());
			assert_eq!((hold_of(&alice()), hold_of(&bob())), (held, 0));
			let offered = ModuleStatuses::<Test>::get(&key).unwrap().transfer_offer.unwrap();
			assert_eq!((offered.to, offered.expires_at), (bob(), 1 + OFFER_LIFETIME));
			assert_eq!(
				last_event(),
				Event::TransferOffered { key: key.clone(), from: alice(), to: bob(), expires_at: 11 }.into()
			);
			check_invariants();

			assert_ok!(Registry::accept_ownership(RuntimeOrigin::signed(bob()), key.clone()));
			assert_eq!(Modules::<Test>::get(&key).unwrap().owner, bob());
			assert_eq!((hold_of(&alice()), hold_of(&bob())), (0, held));
			assert!(Registry::modules_of(&alice()).is_empty());
			assert_eq!(Registry::modules_of(&bob()), vec![key.clone()]);
			assert!(!ModuleStatuses::<Test>::contains_key(&key), "the offer is used up");
			assert_eq!(
				last_event(),
				Event::OwnershipTransferred { key: key.clone(), from: alice(), to: bob() }.into()
			);
			check_invariants();
			// The new owner now controls it; the old one does not.
			assert_noop!(
				Registry::update_module(RuntimeOrigin::signed(alice()), key.clone(), cid_n(2)),
				Error::<Test>::NotOwner
			);
			assert_ok!(Registry::remove_module(RuntimeOrigin::signed(bob()), key));
			assert_eq!(Balances::balance(&bob()), ENDOWMENT + held);
			check_invariants();
		});
	}

	#[test]
	fn only_the_recipient_accepts_and_only_once() {
		new_test_ext().execute_with(|| {
			let key = register_alice();
			assert_noop!(
				Registry::accept_ownership(RuntimeOrigin::signed(bob()), key.clone()),
				Error::<Test>::NoTransferOffer
			);
			offer(&key, alice(), bob());
			assert_noop!(
				Registry::accept_ownership(RuntimeOrigin::signed(charlie()), key.clone()),
				Error::<Test>::NotOfferRecipient
			);
			assert_ok!(Registry::accept_ownership(RuntimeOrigin::signed(bob()), key.clone()));
			assert_noop!(
				Registry::accept_ownership(RuntimeOrigin::signed(bob()), key),
				Error::<Test>::NoTransferOffer
			);
		});
	}

	#[test]
	fn an_offer_expires() {
		new_test_ext().execute_with(|| {
			let key = register_alice();
			offer(&key, alice(), bob());
			System::set_block_number(1 + OFFER_LIFETIME + 1);
			assert_noop!(
				Registry::accept_ownership(RuntimeOrigin::signed(bob()), key.clone()),
				Error::<Test>::OfferExpired
			);
			// A new offer starts a new lifetime.
			offer(&key, alice(), bob());
			assert_ok!(Registry::accept_ownership(RuntimeOrigin::signed(bob()), key));
		});
	}

	#[test]
	fn owner_withdraws_or_recipient_declines() {
		new_test_ext().execute_with(|| {
			let key = register_alice();
			offer(&key, alice(), bob());
			assert_noop!(
				Registry::cancel_transfer(RuntimeOrigin::signed(charlie()), key.clone()),
				Error::<Test>::NotOwner
			);
			assert_ok!(Registry::cancel_transfer(RuntimeOrigin::signed(alice()), key.clone()));
			assert_eq!(
				last_event(),
				Event::TransferCancelled { key: key.clone(), owner: alice(), to: bob() }.into()
			);
			assert_noop!(
				Registry::accept_ownership(RuntimeOrigin::signed(bob()), key.clone()),
				Error::<Test>::NoTransferOffer
			);
			offer(&key, alice(), bob());
			assert_ok!(Registry::cancel_transfer(RuntimeOrigin::signed(bob()), key.clone()));
			assert_noop!(
				Registry::cancel_transfer(RuntimeOrigin::signed(alice()), key),
				Error::<Test>::NoTransferOffer
			);
			check_invariants();
		});
	}

	#[test]
	fn a_new_offer_replaces_the_pending_one() {
		new_test_ext().execute_with(|| {
			let key = register_alice();
			offer(&key, alice(), bob());
			offer(&key, alice(), charlie());
			assert_noop!(
				Registry::accept_ownership(RuntimeOrigin::signed(bob()), key.clone()),
				Error::<Test>::NotOfferRecipient
			);
			assert_ok!(Registry::accept_ownership(RuntimeOrigin::signed(charlie()), key));
		});
	}

	#[test]
	fn removal_drops_the_offer() {
		new_test_ext().execute_with(|| {
			let key = register_alice();
			offer(&key, alice(), bob());
			assert_ok!(Registry::remove_module(RuntimeOrigin::signed(alice()), key.clone()));
			assert!(!ModuleStatuses::<Test>::contains_key(&key));
			assert_ok!(Registry::register_module(
				RuntimeOrigin::signed(alice()),
				key.clone(),
				cid_n(1),
				KeyOwnershipProof::SignerIsKey
			));
			assert_noop!(
				Registry::accept_ownership(RuntimeOrigin::signed(bob()), key),
				Error::<Test>::NoTransferOffer
			);
		});
	}

	#[test]
	fn non_owner_cannot_offer() {
		new_test_ext().execute_with(|| {
			let key = register_alice();
			assert_noop!(
				Registry::transfer_ownership(RuntimeOrigin::signed(bob()), key, bob()),
				Error::<Test>::NotOwner
			);
		});
	}

	#[test]
	fn missing_module_fails() {
		new_test_ext().execute_with(|| {
			assert_noop!(
				Registry::transfer_ownership(RuntimeOrigin::signed(alice()), key_of(&alice()), bob()),
				Error::<Test>::ModuleNotFound
			);
			assert_noop!(
				Registry::accept_ownership(RuntimeOrigin::signed(bob()), key_of(&alice())),
				Error::<Test>::ModuleNotFound
			);
			assert_noop!(
				Registry::cancel_transfer(RuntimeOrigin::signed(alice()), key_of(&alice())),
				Error::<Test>::ModuleNotFound
			);
		});
	}

	#[test]
	fn to_current_owner_fails() {
		new_test_ext().execute_with(|| {
			let key = register_alice();
			assert_noop!(
				Registry::transfer_ownership(RuntimeOrigin::signed(alice()), key, alice()),
				Error::<Test>::AlreadyOwner
			);
		});
	}

	#[test]
	fn to_nonexistent_account_fails_at_acceptance() {
		new_test_ext().execute_with(|| {
			let key = register_alice();
			let nobody = sp_keyring::Sr25519Keyring::Ferdie.to_account_id();
			assert_eq!(Balances::total_balance(&nobody), 0);
			offer(&key, alice(), nobody.clone());
			assert_noop!(
				Registry::accept_ownership(RuntimeOrigin::signed(nobody), key),
				Error::<Test>::NewOwnerCannotHoldDeposit
			);
		});
	}

	/// Nobody can fill another account's module cap: an offer takes no slot,
	/// and accepting one needs a free slot.
	#[test]
	fn offers_do_not_fill_the_recipients_cap() {
		new_test_ext().execute_with(|| {
			for i in 0..MAX_MODULES_PER_OWNER {
				let pair = module_pair(&format!("//bob{i}"));
				assert_ok!(Registry::register_module(
					RuntimeOrigin::signed(bob()),
					bytes_key(&pair.public().0),
					cid_n(1),
					sr25519_proof(&pair, &bob())
				));
			}
			let key = register_alice();
			offer(&key, alice(), bob());
			assert_eq!(OwnedModuleCount::<Test>::get(bob()), MAX_MODULES_PER_OWNER);
			assert_noop!(
				Registry::accept_ownership(RuntimeOrigin::signed(bob()), key),
				Error::<Test>::TooManyModules
			);
			// And an offer to a full account does not stop it registering once it has room.
			let owned = Registry::modules_of(&bob());
			assert_ok!(Registry::remove_module(RuntimeOrigin::signed(bob()), owned[0].clone()));
			let pair = module_pair("//bob-again");
			assert_ok!(Registry::register_module(
				RuntimeOrigin::signed(bob()),
				bytes_key(&pair.public().0),
				cid_n(1),
				sr25519_proof(&pair, &bob())
			));
		});
	}
}

mod history {
	use super::*;

	/// The head computed from the events the chain emitted, as a client would.
	fn replay(events: &[(u32, Event<Test>)]) -> HistoryHead {
		events
			.iter()
			.fold(HistoryHead::default(), |head, (block, event)| head.next(&block.encode(), &event.encode()))
	}

	fn registry_events_of(key: &ModuleKeyOf<Test>) -> Vec<(u32, Event<Test>)> {
		System::events()
			.into_iter()
			.filter_map(|record| match record.event {
				RuntimeEvent::ModuleRegistry(event) => Some(event),
				_ => None,
			})
			.filter(|event| match event {
				Event::ModuleRegistered { key: k, .. } |
				Event::ModuleUpdated { key: k, .. } |
				Event::ModuleRemoved { key: k, .. } |
				Event::OwnershipTransferred { key: k, .. } |
				Event::TransferOffered { key: k, .. } |
				Event::TransferCancelled { key: k, .. } |
				Event::RevisionYanked { key: k, .. } |
				Event::DeprecationSet { key: k, .. } => k == key,
				_ => false,
			})
			.map(|event| (0, event))
			.collect()
	}

	#[test]
	fn every_change_extends_the_commitment_and_events_replay_it() {
		new_test_ext().execute_with(|| {
			let key = register_alice();
			assert_eq!(Registry::history(&key).length, 1);
			let mut seen = Vec::new();
			let take = |seen: &mut Vec<(u32, Event<Test>)>, block: u32| {
				seen.extend(registry_events_of(&key).into_iter().map(|(_, e)| (block, e)));
				System::reset_events();
			};
			take(&mut seen, 1);
			System::set_block_number(2);
			assert_ok!(Registry::update_module(RuntimeOrigin::signed(alice()), key.clone(), cid_n(2)));
			assert_ok!(Registry::set_yanked(RuntimeOrigin::signed(alice()), key.clone(), 0, true));
			take(&mut seen, 2);
			System::set_block_number(3);
			assert_ok!(Registry::set_deprecation(
				RuntimeOrigin::signed(alice()),
				key.clone(),
				Some(BoundedVec::try_from(b"use other".to_vec()).unwrap())
			));
			assert_ok!(Registry::transfer_ownership(RuntimeOrigin::signed(alice()), key.clone(), bob()));
			take(&mut seen, 3);
			System::set_block_number(4);
			assert_ok!(Registry::accept_ownership(RuntimeOrigin::signed(bob()), key.clone()));
			assert_ok!(Registry::remove_module(RuntimeOrigin::signed(bob()), key.clone()));
			take(&mut seen, 4);
			assert_eq!(seen.len(), 7);
			assert_eq!(Registry::history(&key), replay(&seen));
			// The commitment outlives the module, and goes on after a new registration.
			System::set_block_number(5);
			assert_ok!(Registry::register_module(
				RuntimeOrigin::signed(alice()),
				key.clone(),
				cid_n(3),
				KeyOwnershipProof::SignerIsKey
			));
			take(&mut seen, 5);
			assert_eq!(Registry::history(&key), replay(&seen));
			assert_eq!(Registry::history(&key).length, 8);
		});
	}

	/// The same events and head as `tests/unit/history.test.ts` (the TypeScript
	/// encoder): if either side's encoding changes, one of them fails.
	#[test]
	fn cross_language_vector() {
		let key = bytes_key(&[1; 32]);
		let note: NoteOf<Test> = BoundedVec::try_from("old – use v2".as_bytes().to_vec()).unwrap();
		let events: Vec<(u32, Event<Test>)> = vec![
			(1, Event::ModuleRegistered { key: key.clone(), owner: alice(), cid: cid_n(1) }),
			(2, Event::ModuleUpdated { key: key.clone(), owner: alice(), old_cid: cid_n(1), new_cid: cid_n(2), revision: 1 }),
			(3, Event::RevisionYanked { key: key.clone(), owner: alice(), revision: 0, yanked: true }),
			(3, Event::DeprecationSet { key: key.clone(), owner: alice(), note: Some(note) }),
			(4, Event::TransferOffered { key: key.clone(), from: alice(), to: bob(), expires_at: 14 }),
			(5, Event::TransferCancelled { key: key.clone(), owner: alice(), to: bob() }),
			(6, Event::DeprecationSet { key: key.clone(), owner: alice(), note: None }),
			(7, Event::OwnershipTransferred { key: key.clone(), from: alice(), to: bob() }),
			(8, Event::ModuleRemoved { key: key.clone(), owner: bob() }),
		];
		let head = replay(&events);
		assert_eq!(head.length, 9);
		assert_eq!(
			sp_core::hexdisplay::HexDisplay::from(&head.head).to_string(),
			"f9ec3268108ee505c03fd820dd3248534e8a532bf1a1104748c07239094c72e3"
		);
	}

	#[test]
	fn a_reordered_or_altered_history_does_not_replay() {
		new_test_ext().execute_with(|| {
			let key = register_alice();
			System::set_block_number(2);
			assert_ok!(Registry::update_module(RuntimeOrigin::signed(alice()), key.clone(), cid_n(2)));
			let events = registry_events_of(&key);
			let real: Vec<_> = vec![(1, events[0].1.clone()), (2, events[1].1.clone())];
			assert_eq!(Registry::history(&key), replay(&real));
			assert_ne!(Registry::history(&key), replay(&[real[1].clone(), real[0].clone()]));
			assert_ne!(Registry::history(&key), replay(&[(1, real[0].1.clone()), (3, real[1].1.clone())]));
			assert_ne!(Registry::history(&key), replay(&real[..1]));
		});
	}

	#[test]
	fn refused_calls_leave_it_alone() {
		new_test_ext().execute_with(|| {
			let key = register_alice();
			let before = Registry::history(&key);
			assert!(Registry::update_module(RuntimeOrigin::signed(bob()), key.clone(), cid_n(2)).is_err());
			assert!(Registry::set_yanked(RuntimeOrigin::signed(alice()), key.clone(), 5, true).is_err());
			assert_eq!(Registry::history(&key), before);
			assert_eq!(Registry::history(b"not a key"), HistoryHead::default());
		});
	}
}

mod proof_nonce {
	use super::*;

	/// A module key lets Alice register it once; after she removes it, the
	/// same signature cannot register it again.
	#[test]
	fn a_key_proof_registers_once() {
		new_test_ext().execute_with(|| {
			let pair = module_pair("//once");
			let key = bytes_key(&pair.public().0);
			let proof = sr25519_proof(&pair, &alice());
			assert_ok!(Registry::register_module(RuntimeOrigin::signed(alice()), key.clone(), cid_n(1), proof.clone()));
			assert_ok!(Registry::remove_module(RuntimeOrigin::signed(alice()), key.clone()));
			assert_noop!(
				Registry::register_module(RuntimeOrigin::signed(alice()), key.clone(), cid_n(1), proof),
				Error::<Test>::BadKeyProof
			);
			// A fresh proof (at the new nonce) works.
			assert_ok!(Registry::register_module(
				RuntimeOrigin::signed(alice()),
				key,
				cid_n(1),
				sr25519_proof(&pair, &alice())
			));
		});
	}

	/// Transferred to Bob and removed by him: Alice's old proof is spent.
	#[test]
	fn a_proof_cannot_be_replayed_after_transfer_and_removal() {
		new_test_ext().execute_with(|| {
			let pair = module_pair("//moved");
			let key = bytes_key(&pair.public().0);
			let proof = sr25519_proof(&pair, &alice());
			assert_ok!(Registry::register_module(RuntimeOrigin::signed(alice()), key.clone(), cid_n(1), proof.clone()));
			assert_ok!(Registry::transfer_ownership(RuntimeOrigin::signed(alice()), key.clone(), bob()));
			assert_ok!(Registry::accept_ownership(RuntimeOrigin::signed(bob()), key.clone()));
			assert_ok!(Registry::remove_module(RuntimeOrigin::signed(bob()), key.clone()));
			assert_noop!(
				Registry::register_module(RuntimeOrigin::signed(alice()), key, cid_n(1), proof),
				Error::<Test>::BadKeyProof
			);
		});
	}

	#[test]
	fn a_proof_for_a_future_nonce_fails() {
		new_test_ext().execute_with(|| {
			let pair = module_pair("//future");
			let key = bytes_key(&pair.public().0);
			let payload = proof::payload(Registry::genesis_hash().as_ref(), &alice().encode(), &key, 1);
			let proof = KeyOwnershipProof::Signature(MultiSignature::Sr25519(pair.sign(&payload)));
			assert_noop!(
				Registry::register_module(RuntimeOrigin::signed(alice()), key, cid_n(1), proof),
				Error::<Test>::BadKeyProof
			);
		});
	}
}

mod yank {
	use super::*;

	fn updated_alice(updates: u8) -> ModuleKeyOf<Test> {
		let key = register_alice();
		for n in 0..updates {
			assert_ok!(Registry::update_module(RuntimeOrigin::signed(alice()), key.clone(), cid_n(n + 2)));
		}
		key
	}

	#[test]
	fn owner_yanks_and_restores_with_deposit() {
		new_test_ext().execute_with(|| {
			let key = updated_alice(2);
			let base = hold_of(&alice());
			assert_ok!(Registry::set_yanked(RuntimeOrigin::signed(alice()), key.clone(), 1, true));
			assert_ok!(Registry::set_yanked(RuntimeOrigin::signed(alice()), key.clone(), 0, true));
			assert_eq!(ModuleStatuses::<Test>::get(&key).unwrap().yanked.into_inner(), vec![0, 1]);
			assert_eq!(hold_of(&alice()), base + 8 * DEPOSIT_PER_BYTE);
			assert_eq!(
				last_event(),
				Event::RevisionYanked { key: key.clone(), owner: alice(), revision: 0, yanked: true }.into()
			);
			check_invariants();
			assert_ok!(Registry::set_yanked(RuntimeOrigin::signed(alice()), key.clone(), 1, false));
			assert_ok!(Registry::set_yanked(RuntimeOrigin::signed(alice()), key.clone(), 0, false));
			assert!(!ModuleStatuses::<Test>::contains_key(&key), "an empty status is not stored");
			assert_eq!(hold_of(&alice()), base);
			check_invariants();
		});
	}

	#[test]
	fn refusals() {
		new_test_ext().execute_with(|| {
			let key = updated_alice(1);
			assert_noop!(
				Registry::set_yanked(RuntimeOrigin::signed(bob()), key.clone(), 0, true),
				Error::<Test>::NotOwner
			);
			assert_noop!(
				Registry::set_yanked(RuntimeOrigin::signed(alice()), key.clone(), 2, true),
				Error::<Test>::NoSuchRevision
			);
			assert_noop!(
				Registry::set_yanked(RuntimeOrigin::signed(alice()), key.clone(), 0, false),
				Error::<Test>::YankUnchanged
			);
			assert_ok!(Registry::set_yanked(RuntimeOrigin::signed(alice()), key.clone(), 0, true));
			assert_noop!(
				Registry::set_yanked(RuntimeOrigin::signed(alice()), key.clone(), 0, true),
				Error::<Test>::YankUnchanged
			);
			assert_noop!(
				Registry::set_yanked(RuntimeOrigin::signed(alice()), key_of(&bob()), 0, true),
				Error::<Test>::ModuleNotFound
			);
		});
	}

	#[test]
	fn at_most_max_yanked() {
		new_test_ext().execute_with(|| {
			let key = updated_alice(MAX_YANKED as u8);
			for revision in 0..MAX_YANKED {
				assert_ok!(Registry::set_yanked(RuntimeOrigin::signed(alice()), key.clone(), revision, true));
			}
			assert_noop!(
				Registry::set_yanked(RuntimeOrigin::signed(alice()), key, MAX_YANKED, true),
				Error::<Test>::TooManyYanked
			);
		});
	}

	#[test]
	fn an_update_keeps_yanks_and_their_deposit() {
		new_test_ext().execute_with(|| {
			let key = updated_alice(1);
			assert_ok!(Registry::set_yanked(RuntimeOrigin::signed(alice()), key.clone(), 1, true));
			assert_ok!(Registry::update_module(RuntimeOrigin::signed(alice()), key.clone(), cid_n(9)));
			assert_eq!(ModuleStatuses::<Test>::get(&key).unwrap().yanked.into_inner(), vec![1]);
			check_invariants();
			// Removal releases all of it.
			assert_ok!(Registry::remove_module(RuntimeOrigin::signed(alice()), key.clone()));
			assert_eq!((hold_of(&alice()), Balances::balance(&alice())), (0, ENDOWMENT));
			assert!(!ModuleStatuses::<Test>::contains_key(&key));
			check_invariants();
		});
	}
}

mod deprecate {
	use super::*;

	fn note(text: &[u8]) -> Option<NoteOf<Test>> {
		Some(BoundedVec::try_from(text.to_vec()).unwrap())
	}

	#[test]
	fn owner_deprecates_and_lifts_with_deposit() {
		new_test_ext().execute_with(|| {
			let key = register_alice();
			let base = hold_of(&alice());
			assert_ok!(Registry::set_deprecation(RuntimeOrigin::signed(alice()), key.clone(), note("use «b»".as_bytes())));
			assert_eq!(ModuleStatuses::<Test>::get(&key).unwrap().deprecation, note("use «b»".as_bytes()));
			assert_eq!(hold_of(&alice()), base + "use «b»".len() as Balance * DEPOSIT_PER_BYTE);
			assert_eq!(
				last_event(),
				Event::DeprecationSet { key: key.clone(), owner: alice(), note: note("use «b»".as_bytes()) }.into()
			);
			check_invariants();
			assert_ok!(Registry::set_deprecation(RuntimeOrigin::signed(alice()), key.clone(), None));
			assert!(!ModuleStatuses::<Test>::contains_key(&key));
			assert_eq!(hold_of(&alice()), base);
			check_invariants();
		});
	}

	#[test]
	fn refusals() {
		new_test_ext().execute_with(|| {
			let key = register_alice();
			assert_noop!(
				Registry::set_deprecation(RuntimeOrigin::signed(bob()), key.clone(), note(b"x")),
				Error::<Test>::NotOwner
			);
			assert_noop!(
				Registry::set_deprecation(RuntimeOrigin::signed(alice()), key.clone(), note(b"")),
				Error::<Test>::InvalidNote
			);
			assert_noop!(
				Registry::set_deprecation(RuntimeOrigin::signed(alice()), key.clone(), note(&[0xff, 0xfe])),
				Error::<Test>::InvalidNote
			);
			assert_noop!(
				Registry::set_deprecation(RuntimeOrigin::signed(alice()), key.clone(), None),
				Error::<Test>::DeprecationUnchanged
			);
			assert_ok!(Registry::set_deprecation(RuntimeOrigin::signed(alice()), key.clone(), note(b"old")));
			assert_noop!(
				Registry::set_deprecation(RuntimeOrigin::signed(alice()), key.clone(), note(b"old")),
				Error::<Test>::DeprecationUnchanged
			);
			// Longer than MaxNoteLength cannot even be decoded as a call argument.
			let long = vec![b'a'; MAX_NOTE_LENGTH as usize + 1];
			assert!(NoteOf::<Test>::try_from(long.clone()).is_err());
			let encoded = Some(long).encode();
			assert!(<Option<NoteOf<Test>>>::decode(&mut &encoded[..]).is_err());
		});
	}

	#[test]
	fn deprecation_deposit_must_be_affordable() {
		new_test_ext().execute_with(|| {
			let key = register_alice();
			let free = Balances::balance(&alice());
			// Leave less than the note's deposit spendable.
			assert_ok!(Balances::transfer_allow_death(RuntimeOrigin::signed(alice()), bob(), free - 3));
			assert_noop!(
				Registry::set_deprecation(RuntimeOrigin::signed(alice()), key, note(b"sixteen bytes!!!")),
				Error::<Test>::InsufficientDeposit
			);
		});
	}
}

mod migration {
	use super::*;
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};

	#[test]
	fn v1_to_v2_moves_the_version_and_keeps_every_record() {
		new_test_ext().execute_with(|| {
			let key = register_alice();
			// A v1 chain: its records, no history, version 1.
			ModuleHistory::<Test>::remove(&key);
			StorageVersion::new(1).put::<Registry>();
			let before: Vec<_> = Modules::<Test>::iter().collect();

			migrations::v2::MigrateV1ToV2::<Test>::on_runtime_upgrade();
			assert_eq!(Registry::on_chain_storage_version(), StorageVersion::new(2));
			assert_eq!(Modules::<Test>::iter().collect::<Vec<_>>(), before);
			check_invariants();
			// A migrated module's history starts at its next change; its first
			// registration proof (nonce 0) stays spent only while it is registered.
			assert_ok!(Registry::update_module(RuntimeOrigin::signed(alice()), key.clone(), cid_n(2)));
			assert_eq!(Registry::history(&key).length, 1);
			// Run again: a no-op, the version says it is done.
			migrations::v2::MigrateV1ToV2::<Test>::on_runtime_upgrade();
			assert_eq!(Registry::on_chain_storage_version(), StorageVersion::new(2));
		});
	}
}

mod invariants {
	use super::*;

	#[test]
	fn try_state_detects_a_wrong_count() {
		new_test_ext().execute_with(|| {
			register_alice();
			ModuleCount::<Test>::put(5);
			assert!(Registry::do_try_state().is_err());
		});
	}

	#[test]
	fn try_state_detects_a_broken_owner_index() {
		new_test_ext().execute_with(|| {
			let key = register_alice();
			OwnerModules::<Test>::remove(alice(), &key);
			assert!(Registry::do_try_state().is_err());
		});
	}

	#[test]
	fn try_state_detects_a_missing_deposit() {
		new_test_ext().execute_with(|| {
			register_alice();
			let reason = RuntimeHoldReason::ModuleRegistry(HoldReason::ModuleDeposit);
			assert_ok!(<Balances as frame_support::traits::fungible::MutateHold<_>>::release(
				&reason,
				&alice(),
				1,
				frame_support::traits::tokens::Precision::Exact
			));
			assert!(Registry::do_try_state().is_err());
		});
	}

	#[test]
	fn token_errors_never_leak_from_register() {
		// The deposit hold's own error is mapped to the pallet's, which names the problem.
		new_test_ext().execute_with(|| {
			let result = Registry::register_module(
				RuntimeOrigin::signed(pauper()),
				key_of(&pauper()),
				cid_n(1),
				KeyOwnershipProof::SignerIsKey,
			);
			assert_ne!(result, Err(DispatchError::Token(TokenError::FundsUnavailable)));
			assert_eq!(result, Err(Error::<Test>::InsufficientDeposit.into()));
		});
	}
}

mod paged_reads {
	use super::*;

	/// Registers `MAX_MODULES_PER_OWNER` modules for each of `owners`; returns their keys.
	fn register_many(owners: &[AccountId]) -> Vec<ModuleKeyOf<Test>> {
		let mut keys = Vec::new();
		for (o, owner) in owners.iter().enumerate() {
			for i in 0..MAX_MODULES_PER_OWNER {
				let pair = module_pair(&format!("//page-{o}-{i}"));
				let key = bytes_key(&pair.public().0);
				assert_ok!(Registry::register_module(
					RuntimeOrigin::signed(owner.clone()),
					key.clone(),
					cid_n(i as u8),
					sr25519_proof(&pair, owner)
				));
				keys.push(key);
			}
		}
		keys
	}

	/// Every page of `page_size` from the start, concatenated.
	fn all_pages(page_size: u32) -> Vec<ModuleKeyOf<Test>> {
		let mut out: Vec<ModuleKeyOf<Test>> = Vec::new();
		loop {
			let page = Registry::modules_page(out.last().map(|k| k.as_slice()), page_size);
			let done = page.len() < page_size as usize;
			out.extend(page.into_iter().map(|(key, _)| key));
			if done {
				return out;
			}
		}
	}

	#[test]
	fn pages_cover_every_module_once_in_storage_order() {
		new_test_ext().execute_with(|| {
			let mut keys = register_many(&[alice(), bob()]);
			let in_storage_order: Vec<_> = Modules::<Test>::iter_keys().collect();
			for size in [1, 2, 4, 1000] {
				assert_eq!(all_pages(size), in_storage_order, "pages of {size}");
			}
			let mut listed = all_pages(5);
			listed.sort();
			keys.sort();
			assert_eq!(listed, keys);
			let (key, record) = Registry::modules_page(None, 1).remove(0);
			assert_eq!(Some(record), Modules::<Test>::get(&key));
		});
	}

	#[test]
	fn a_removed_start_key_still_continues_the_listing() {
		new_test_ext().execute_with(|| {
			register_many(&[alice(), bob()]);
			let order: Vec<_> = Modules::<Test>::iter_keys().collect();
			let removed = order[2].clone();
			let owner = Modules::<Test>::get(&removed).unwrap().owner;
			assert_ok!(Registry::remove_module(RuntimeOrigin::signed(owner), removed.clone()));
			let next: Vec<_> =
				Registry::modules_page(Some(&removed), 10).into_iter().map(|(k, _)| k).collect();
			assert_eq!(next, order[3..].to_vec());
		});
	}

	#[test]
	fn limits_and_malformed_start_keys() {
		new_test_ext().execute_with(|| {
			register_many(&[alice()]);
			assert!(Registry::modules_page(None, 0).is_empty());
			assert!(Registry::modules_page(Some(&[7u8; 40]), 10).is_empty());
			assert!(Registry::modules_of_page(&alice(), Some(&[7u8; 40]), 10).is_empty());
			// No page is longer than MAX_PAGE, whatever is asked.
			let record = Modules::<Test>::iter_values().next().unwrap();
			for i in 0..(MAX_PAGE + 5) {
				Modules::<Test>::insert(
					bytes_key(&[&i.to_le_bytes()[..], &[0u8; 28]].concat()),
					record.clone(),
				);
			}
			assert_eq!(Registry::modules_page(None, u32::MAX).len(), MAX_PAGE as usize);
		});
	}

	#[test]
	fn modules_of_page_lists_one_owner_with_records() {
		new_test_ext().execute_with(|| {
			let keys = register_many(&[alice(), bob()]);
			let mut listed = Vec::new();
			loop {
				let page = Registry::modules_of_page(
					&bob(),
					listed.last().map(|(k, _): &(ModuleKeyOf<Test>, _)| k.as_slice()),
					1,
				);
				if page.is_empty() {
					break;
				}
				listed.extend(page);
			}
			let mut listed_keys: Vec<_> = listed.iter().map(|(k, _)| k.clone()).collect();
			assert_eq!(listed_keys, Registry::modules_of(&bob()));
			listed_keys.sort();
			let mut bobs = keys[MAX_MODULES_PER_OWNER as usize..].to_vec();
			bobs.sort();
			assert_eq!(listed_keys, bobs);
			assert!(listed.iter().all(|(key, record)| record.owner == bob()
				&& Modules::<Test>::get(key).as_ref() == Some(record)));
			assert!(Registry::modules_of_page(&charlie(), None, 10).is_empty());
		});
	}
}
