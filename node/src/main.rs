//! `modnet-node`: the Mod-Net chain's full node.
#![warn(missing_docs)]

mod chain_spec;
mod cli;
mod command;
mod dev_network;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
