import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';

const overlays = ['dev', 'prod'];
const dir = (overlay: string) => fileURLToPath(new URL(`../kubernetes/overlays/${overlay}`, import.meta.url));

/** kind -> the model that validates it against the Kubernetes OpenAPI schema. */
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

function render(overlay: string): any[] {
  const out = execFileSync('kubectl', ['kustomize', dir(overlay)], { encoding: 'utf8' });
  return parseAllDocuments(out).map((d) => unwrapSecretData(d.toJSON()));
}

/** kustomize wraps long base64 values over lines; the API server's decoder skips the newlines, the schema's pattern does not. */
function unwrapSecretData(doc: any): any {
  if (doc?.kind !== 'Secret' || !doc.data) return doc;
  return { ...doc, data: Object.fromEntries(Object.entries(doc.data).map(([k, v]) => [k, String(v).replace(/\s+/g, '')])) };
}

describe('deploy/kubernetes', function () {
  this.timeout(60_000);

  for (const overlay of overlays) {
    describe(`overlay ${overlay}`, () => {
      let docs: any[];
      before(() => {
        docs = render(overlay);
      });

      it('renders documents that each pass the Kubernetes schema of their kind', () => {
        expect(docs.length).to.be.greaterThan(5);
        for (const doc of docs) {
          const Model = MODELS[`${doc.apiVersion}/${doc.kind}`];
          expect(Model, `no schema check for ${doc.apiVersion} ${doc.kind}`).to.exist;
          expect(() => new Model(doc).validate(), `${doc.kind} ${doc.metadata?.name}`).not.to.throw();
        }
      });

      it('runs an ingest and a worker Deployment, non-root, probed, with resources and config from a ConfigMap and a Secret', () => {
        const deployments = docs.filter((d) => d.kind === 'Deployment' && d.metadata.name.startsWith('faultline-'));
        expect(deployments.map((d) => d.metadata.name).sort()).to.deep.equal(['faultline-ingest', 'faultline-worker']);
        for (const d of deployments) {
          const pod = d.spec.template.spec;
          const [container] = pod.containers;
          expect(pod.securityContext.runAsNonRoot, d.metadata.name).to.equal(true);
          expect(container.livenessProbe.httpGet.path).to.equal('/healthz');
          expect(container.readinessProbe.httpGet.path).to.equal('/readyz');
          expect(container.resources.requests.cpu).to.be.a('string');
          expect(container.resources.limits.memory).to.be.a('string');
          expect(container.envFrom.map((e: any) => e.configMapRef?.name ?? e.secretRef?.name)).to.have.length(2);
          expect(JSON.stringify(container.env ?? []), 'secrets only through the Secret').not.to.match(/postgres:\/\/|redis:\/\//);
        }
        const args = Object.fromEntries(deployments.map((d) => [d.metadata.name, d.spec.template.spec.containers[0].args]));
        expect(args['faultline-ingest']).to.deep.equal(['serve', '--no-process']);
        expect(args['faultline-worker']).to.deep.equal(['worker']);
      });

      it('scales both with a HorizontalPodAutoscaler and guards them with a PodDisruptionBudget', () => {
        const targets = docs.filter((d) => d.kind === 'HorizontalPodAutoscaler').map((d) => d.spec.scaleTargetRef.name).sort();
        expect(targets).to.deep.equal(['faultline-ingest', 'faultline-worker']);
        expect(docs.filter((d) => d.kind === 'PodDisruptionBudget')).to.have.length(2);
      });

      it('every Service selects pods that a Deployment runs', () => {
        const podLabels = docs.filter((d) => d.kind === 'Deployment').map((d) => d.spec.template.metadata.labels);
        for (const svc of docs.filter((d) => d.kind === 'Service')) {
          const selected = podLabels.some((labels) => Object.entries(svc.spec.selector).every(([k, v]) => labels[k] === v));
          expect(selected, `Service ${svc.metadata.name}`).to.equal(true);
        }
      });
    });
  }

  it('keeps secrets out of the production overlay: the operator creates faultline-secrets', () => {
    const docs = render('prod');
    expect(docs.filter((d) => d.kind === 'Secret')).to.have.length(0);
    const ingest = docs.find((d) => d.kind === 'Deployment' && d.metadata.name === 'faultline-ingest');
    expect(ingest.spec.template.spec.containers[0].envFrom.some((e: any) => e.secretRef?.name === 'faultline-secrets')).to.equal(true);
  });
});
