// embed_migrations! does not track the migration folders by itself.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
