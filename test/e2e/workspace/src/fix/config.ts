export function appOrigin(fallback: string) {
  try {
    return new URL(process.env.APP_URL ?? fallback).origin;
  } catch (err) {
    console.error('bad APP_URL', err);
    return fallback;
  }
}
