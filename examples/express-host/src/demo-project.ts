import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createProjectWithKey, createToken, type Faultline } from '@faultline/core';

export interface DemoProject {
  projectId: number;
  publicKey: string;
  /** An admin token for the demo project, for the admin API. */
  secretToken: string;
}

/**
 * The demo shop's own Faultline project. Keys and tokens are stored hashed, so the first start keeps the
 * public key and an admin token in a local file (0600) to print and use them again on later starts.
 */
export async function ensureDemoProject(faultline: Faultline, stateDir: string): Promise<{ demo: DemoProject; created: boolean }> {
  const file = path.join(stateDir, 'demo-project.json');
  const saved = await readSaved(file);
  if (saved && (await faultline.storage.getProject(saved.projectId))) {
    if (saved.secretToken) return { demo: saved as DemoProject, created: false };
    const demo = { ...saved, secretToken: await adminToken(faultline, saved.projectId) }; // saved by an older demo
    await save(file, demo);
    return { demo, created: false };
  }
  const { project, publicKey } = await createProjectWithKey(faultline.storage, { name: 'Demo shop', slug: `demo-shop-${Date.now().toString(36)}` });
  const demo = { projectId: project.id, publicKey, secretToken: await adminToken(faultline, project.id) };
  await mkdir(stateDir, { recursive: true });
  await save(file, demo);
  return { demo, created: true };
}

async function adminToken(faultline: Faultline, projectId: number): Promise<string> {
  return (await createToken(faultline.storage, { role: 'admin', projectIds: [projectId], label: 'demo shop admin' })).token;
}

async function save(file: string, demo: DemoProject): Promise<void> {
  await writeFile(file, JSON.stringify(demo, null, 2), { mode: 0o600 });
}

async function readSaved(file: string): Promise<(Omit<DemoProject, 'secretToken'> & { secretToken?: string }) | null> {
  try {
    const value = JSON.parse(await readFile(file, 'utf8'));
    if (!Number.isInteger(value?.projectId) || typeof value?.publicKey !== 'string') return null;
    return { projectId: value.projectId, publicKey: value.publicKey, secretToken: typeof value.secretToken === 'string' ? value.secretToken : undefined };
  } catch {
    return null;
  }
}
