import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createProjectWithKey, type Faultline } from '@faultline/core';

export interface DemoProject {
  projectId: number;
  publicKey: string;
}

/**
 * The demo shop's own Faultline project. Keys are stored hashed, so the first start keeps the public key
 * in a local file (0600) to print and use it again on later starts.
 */
export async function ensureDemoProject(faultline: Faultline, stateDir: string): Promise<{ demo: DemoProject; created: boolean }> {
  const file = path.join(stateDir, 'demo-project.json');
  const saved = await readSaved(file);
  if (saved && (await faultline.storage.getProject(saved.projectId))) return { demo: saved, created: false };
  const { project, publicKey } = await createProjectWithKey(faultline.storage, { name: 'Demo shop', slug: `demo-shop-${Date.now().toString(36)}` });
  const demo = { projectId: project.id, publicKey };
  await mkdir(stateDir, { recursive: true });
  await writeFile(file, JSON.stringify(demo, null, 2), { mode: 0o600 });
  return { demo, created: true };
}

async function readSaved(file: string): Promise<DemoProject | null> {
  try {
    const value = JSON.parse(await readFile(file, 'utf8'));
    return Number.isInteger(value?.projectId) && typeof value?.publicKey === 'string' ? value : null;
  } catch {
    return null;
  }
}
