//! The node's JSON-RPC extensions beyond Substrate's defaults.

use std::sync::Arc;

use sp_runtime::codec::Encode;

use jsonrpsee::{core::RpcResult, proc_macros::rpc, types::ErrorObject, RpcModule};
use modnet_runtime::{opaque::Block, AccountId, Balance, BlockNumber, Hash, Nonce};
use sc_consensus_grandpa::{
	best_justification, FinalityProofError, FinalityProofProvider, SharedAuthoritySet,
};

use crate::service::FullBackend;
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};

/// What the RPC extensions need from the node.
pub struct FullDeps<C, P> {
	/// The client.
	pub client: Arc<C>,
	/// The transaction pool.
	pub pool: Arc<P>,
	/// GRANDPA's justifications, for `modnet_finalityProof`.
	pub finality: FinalityDeps,
}

/// What `modnet_finalityProof` reads: GRANDPA's proof provider, and the
/// backend and authority set for chains that never changed set (below).
#[derive(Clone)]
pub struct FinalityDeps {
	/// Justifications of set-change blocks and the latest one.
	pub provider: Arc<FinalityProofProvider<FullBackend, Block>>,
	/// Where GRANDPA keeps its latest justification.
	pub backend: Arc<FullBackend>,
	/// The current authority set (its id).
	pub authority_set: SharedAuthoritySet<Hash, BlockNumber>,
}

/// `modnet_finalityProof`: the GRANDPA justification that finalizes a block.
///
/// Substrate's `grandpa_proveFinality` returns the same justification plus every
/// header between the block asked for and the justified one (up to 100,000 of
/// them), which makes one request from anyone cost the node megabytes. Module
/// cards need only the justification: they are made at the justified block, and
/// a verifier follows authority-set changes from one justified set-change block
/// to the next. So this answers in constant size.
#[rpc(server)]
pub trait FinalityApi {
	/// The justification for the last block of the authority set that finalized
	/// `block` (a set-change block), or the node's latest justification when that
	/// set is the current one: `{ block, number, header, justification }` (the
	/// justified block's SCALE header and the SCALE `GrandpaJustification`, hex), or null when the node has none (not finalized yet,
	/// or synced past it without justifications).
	#[method(name = "modnet_finalityProof")]
	fn finality_proof(&self, block: BlockNumber) -> RpcResult<Option<serde_json::Value>>;
}

/// Serves [`FinalityApiServer`] from the node's GRANDPA data.
pub struct Finality {
	deps: FinalityDeps,
	client: Arc<dyn HeaderBackend<Block> + Send + Sync>,
}

impl FinalityApiServer for Finality {
	fn finality_proof(&self, block: BlockNumber) -> RpcResult<Option<serde_json::Value>> {
		let failed = |error: String| ErrorObject::owned(1, error, None::<()>);
		let (justified, justification) = match self.deps.provider.prove_finality_proof(block, false) {
			Ok(Some(proof)) => (proof.block, proof.justification),
			Ok(None) | Err(FinalityProofError::BlockNotYetFinalized) => return Ok(None),
			// The provider answers only from recorded set changes, so a chain still on its
			// genesis set (no change recorded) gets none; there the latest justification,
			// by set 0, covers every finalized block.
			Err(FinalityProofError::BlockNotInAuthoritySetChanges)
				if self.deps.authority_set.set_id() == 0 =>
			{
				match best_justification::<_, Block>(&*self.deps.backend) {
					Ok(Some(latest)) => (latest.target().1, latest.encode()),
					Ok(None) => return Ok(None),
					Err(error) => return Err(failed(error.to_string())),
				}
			},
			Err(error) => return Err(failed(error.to_string())),
		};
		let header = self
			.client
			.header(justified)
			.map_err(|error| failed(error.to_string()))?
			.ok_or_else(|| failed("the justified block is not in the database".into()))?;
		Ok(Some(serde_json::json!({
			"block": justified,
			"number": header.number,
			"header": sp_core::bytes::to_hex(&header.encode(), false),
			"justification": sp_core::bytes::to_hex(&justification, false),
		})))
	}
}

/// `system_accountNextIndex` and the `payment_*` methods.
pub fn create_full<C, P>(
	deps: FullDeps<C, P>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>,
	C: HeaderBackend<Block> + HeaderMetadata<Block, Error = BlockChainError> + 'static,
	C: Send + Sync + 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>,
	C::Api: pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>,
	C::Api: BlockBuilder<Block>,
	P: TransactionPool + 'static,
{
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let mut module = RpcModule::new(());
	let FullDeps { client, pool, finality } = deps;
	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;
	module.merge(Finality { deps: finality, client }.into_rpc())?;
	Ok(module)
}
