//! Network defaults for `--dev`, so a browser light client can dial the node.
//!
//! Browsers only dial `ws`, `wss` or `webrtc-direct` addresses, and a chain
//! spec's `bootNodes` entry names the node's PeerId. So in dev mode, unless told
//! otherwise, the node listens on a loopback WebSocket address (plus plain TCP
//! for other full nodes) and uses a fixed, public node key.

use sc_cli::NetworkParams;
use sc_network::Multiaddr;

/// DEV ONLY: the dev node's libp2p secret key (hex ed25519 seed). It is public,
/// so the PeerId in the generated dev chain spec stays valid across restarts;
/// `chain-spec/generate.ts` reads the same file.
pub const DEV_NODE_KEY: &str = include_str!("../../chain-spec/dev-node-key");

/// Port of the dev WebSocket p2p listener, the address in the dev chain spec's `bootNodes`.
pub const DEV_WS_PORT: u16 = 30333;

/// Fills in the dev node key and listen addresses where the user gave none.
pub fn apply_dev_defaults(params: &mut NetworkParams) {
	let keys = &mut params.node_key_params;
	if keys.node_key.is_none() && keys.node_key_file.is_none() {
		keys.node_key = Some(DEV_NODE_KEY.trim().into());
	}
	if params.listen_addr.is_empty() {
		let ws_port = params.port.take().unwrap_or(DEV_WS_PORT);
		params.listen_addr = vec![loopback(ws_port, true), loopback(ws_port + 1, false)];
	}
}

fn loopback(port: u16, websocket: bool) -> Multiaddr {
	let ws = if websocket { "/ws" } else { "" };
	format!("/ip4/127.0.0.1/tcp/{port}{ws}").parse().expect("a valid multiaddr")
}

#[cfg(test)]
mod tests {
	use super::*;
	use clap::Parser;

	#[derive(Parser)]
	struct Args {
		#[clap(flatten)]
		network: NetworkParams,
	}

	#[test]
	fn defaults_fill_only_what_is_missing() {
		let mut args = Args::parse_from(["x"]);
		apply_dev_defaults(&mut args.network);
		assert_eq!(args.network.node_key_params.node_key.as_deref(), Some(DEV_NODE_KEY.trim()));
		let addrs: Vec<String> = args.network.listen_addr.iter().map(|a| a.to_string()).collect();
		assert_eq!(addrs, ["/ip4/127.0.0.1/tcp/30333/ws", "/ip4/127.0.0.1/tcp/30334"]);

		let mut args = Args::parse_from(["x", "--listen-addr", "/ip4/127.0.0.1/tcp/5000/ws", "--node-key", "01"]);
		apply_dev_defaults(&mut args.network);
		assert_eq!(args.network.node_key_params.node_key.as_deref(), Some("01"));
		assert_eq!(args.network.listen_addr.len(), 1);

		let mut args = Args::parse_from(["x", "--port", "4000"]);
		apply_dev_defaults(&mut args.network);
		assert_eq!(args.network.listen_addr[0].to_string(), "/ip4/127.0.0.1/tcp/4000/ws");
	}
}
