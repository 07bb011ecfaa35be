import { readFile } from 'node:fs/promises';

export async function loadAccount(path: string) {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as { id: string };
  } catch (err) {
    throw new Error(`account file ${path} could not be read`);
  }
}
