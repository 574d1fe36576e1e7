// Runs once when the Next server starts: validate configuration and warm fonts and renderer, so
// a bad APP_URL stops the start and the first request pays no initialisation.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { castcard } = await import("./src/castcard");
  await castcard.start();
}
