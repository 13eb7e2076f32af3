use clap::Parser;

use barraiser::cli::{self, Cli};
use barraiser::config::Settings;
use barraiser::telemetry;

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let settings = Settings::from_env()?;
    telemetry::init(settings.log_format);
    cli::run(cli, settings).await
}
