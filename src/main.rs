use clap::Parser;

use barraiser::process::cli::{self, Cli};
use barraiser::process::config::Settings;
use barraiser::process::telemetry;

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let settings = Settings::from_env()?;
    telemetry::init(settings.log_format);
    cli::run(cli, settings).await
}
