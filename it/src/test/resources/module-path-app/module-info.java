/** A user's module: one requires brings all of Mint. */
module mint.example {
  requires dev.mint.all;
}
