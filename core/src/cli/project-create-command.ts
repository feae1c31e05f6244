import { buildDsn } from '../auth/dsn.js';
import { createProjectWithKey, createToken } from '../admin/provisioning.js';
import { openFaultline, publicUrl, type CliContext } from './open-faultline.js';

/**
 * `faultline project create <name>`: a project, its first public key and DSN, and an admin token scoped
 * to it. The key and token are shown only now; they are stored hashed.
 */
export async function projectCreateCommand(
  ctx: CliContext,
  name: string,
  options: { json?: boolean; slug?: string; url?: string },
  out: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<void> {
  const faultline = await openFaultline(ctx, { processEvents: false });
  try {
    const { project, publicKey } = await createProjectWithKey(faultline.storage, { name, slug: options.slug });
    const { token } = await createToken(faultline.storage, { role: 'admin', projectIds: [project.id], label: `${project.slug} admin` });
    const dsn = buildDsn(options.url ?? publicUrl(ctx.config), publicKey, project.id);
    if (options.json) {
      out(JSON.stringify({ id: project.id, slug: project.slug, publicKey, secretToken: token, dsn }));
    } else {
      out(`Project ${project.name} (id ${project.id}, slug ${project.slug})`);
      out(`  DSN:          ${dsn}`);
      out(`  Public key:   ${publicKey}`);
      out(`  Secret token: ${token}   (admin of this project; shown once)`);
    }
  } finally {
    await faultline.stop();
  }
}
