// Renders deploy/k8s kustomizations and checks every object against the Kubernetes API schemas
// (kubernetes-models: the OpenAPI schemas of the API server, compiled to validators, offline).
//
//   node scripts/deploy-manifests.mjs [dir ...]       render (kubectl kustomize when installed,
//                                                     else the small renderer below), validate, print a summary
//   node scripts/deploy-manifests.mjs --compare dir   render with both and exit 1 if they differ
//   node scripts/deploy-manifests.mjs --validate f.yaml  validate the objects of one YAML file
//
// The fallback renderer implements exactly the kustomize features deploy/k8s uses (resources,
// namespace, labels with includeSelectors, images, strategic-merge patch files, JSON 6902
// `replace` patches, secretGenerator `envs` with behavior replace, disableNameSuffixHash) and
// refuses anything else, so it cannot silently render something different; --compare checks it
// against kubectl where kubectl exists.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const KUSTOMIZATIONS = ['deploy/k8s/base', 'deploy/k8s/overlays/example'];

const KNOWN_KEYS = new Set([
  'apiVersion',
  'kind',
  'namespace',
  'labels',
  'resources',
  'images',
  'patches',
  'secretGenerator',
  'generatorOptions',
]);

function readYaml(file) {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => {
      if (d.errors.length) throw new Error(`${file}: ${d.errors[0].message}`);
      return d.toJS();
    })
    .filter((o) => o !== null);
}

export function hasKubectl() {
  return spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
}

function kubectlRender(dir) {
  const out = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (out.status !== 0) throw new Error(`kubectl kustomize ${dir}: ${out.stderr}`);
  return parseAllDocuments(out.stdout)
    .map((d) => d.toJS())
    .filter(Boolean)
    .map(unfoldSecret);
}

/** kubectl prints long base64 values folded over lines; the API server reads them without the line breaks. */
function unfoldSecret(o) {
  if (o.kind !== 'Secret' || !o.data) return o;
  return { ...o, data: Object.fromEntries(Object.entries(o.data).map(([k, v]) => [k, String(v).replace(/\s+/g, '')])) };
}

const isMap = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Strategic merge as kustomize does it for what our patches touch: maps merge, lists of named items merge by name. */
function merge(target, patch) {
  if (!isMap(target) || !isMap(patch)) return structuredClone(patch);
  const out = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    if (Array.isArray(v) && Array.isArray(out[k]) && v.every((i) => isMap(i) && 'name' in i)) {
      const list = out[k].map((i) => structuredClone(i));
      for (const item of v) {
        const at = list.findIndex((i) => i.name === item.name);
        if (at >= 0) list[at] = merge(list[at], item);
        else list.push(structuredClone(item));
      }
      out[k] = list;
    } else out[k] = k in out ? merge(out[k], v) : structuredClone(v);
  }
  return out;
}

function jsonPointerReplace(obj, path, value) {
  const parts = path
    .split('/')
    .slice(1)
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
  let at = obj;
  for (const p of parts.slice(0, -1)) {
    if (at[p] === undefined) throw new Error(`patch path ${path} not found`);
    at = at[p];
  }
  const last = parts[parts.length - 1];
  if (!(last in at)) throw new Error(`patch path ${path} not found`);
  at[last] = value;
}

const SELECTOR_PATHS = {
  Service: [['spec', 'selector']],
  Deployment: [
    ['spec', 'selector', 'matchLabels'],
    ['spec', 'template', 'metadata', 'labels'],
  ],
  PodDisruptionBudget: [['spec', 'selector', 'matchLabels']],
  Job: [['spec', 'template', 'metadata', 'labels']],
};

function addLabels(obj, pairs, includeSelectors) {
  const put = (path) => {
    let at = obj;
    for (const p of path) at = at[p] ??= {};
    Object.assign(at, pairs);
  };
  put(['metadata', 'labels']);
  if (!includeSelectors) return;
  for (const path of SELECTOR_PATHS[obj.kind] ?? []) put(path);
  const anti = obj.spec?.template?.spec?.affinity?.podAntiAffinity;
  for (const term of anti?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
    term.podAffinityTerm.labelSelector.matchLabels = { ...term.podAffinityTerm.labelSelector.matchLabels, ...pairs };
  }
}

function setImages(obj, images) {
  const specs = [obj.spec?.template?.spec].filter(Boolean);
  for (const spec of specs) {
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
      const image = images.find((i) => i.name === c.image || c.image.startsWith(`${i.name}:`));
      if (image) c.image = `${image.newName ?? image.name}:${image.newTag}`;
    }
  }
}

function parseEnvFile(file) {
  const data = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const eq = t.indexOf('=');
    data[t.slice(0, eq)] = Buffer.from(t.slice(eq + 1)).toString('base64');
  }
  return data;
}

/** The fallback renderer (see the header). */
export function render(dir) {
  const k = readYaml(join(dir, 'kustomization.yaml'))[0];
  for (const key of Object.keys(k))
    if (!KNOWN_KEYS.has(key)) throw new Error(`${dir}: kustomization field "${key}" is not supported by this renderer`);
  let objects = [];
  for (const r of k.resources ?? []) {
    const path = join(dir, r);
    objects.push(...(r.endsWith('.yaml') ? readYaml(path) : render(path)));
  }
  for (const g of k.secretGenerator ?? []) {
    if (g.behavior !== 'replace' || !k.generatorOptions?.disableNameSuffixHash)
      throw new Error(`${dir}: only secretGenerator behavior: replace without name hash is supported`);
    const at = objects.findIndex((o) => o.kind === 'Secret' && o.metadata.name === g.name);
    if (at < 0) throw new Error(`${dir}: secretGenerator replaces ${g.name}, which is not there`);
    const data = Object.assign({}, ...(g.envs ?? []).map((f) => parseEnvFile(join(dir, f))));
    const kept = { ...objects[at] };
    delete kept.stringData;
    objects[at] = { ...kept, data };
  }
  for (const p of k.patches ?? []) {
    if (p.path) {
      const patch = readYaml(join(dir, p.path))[0];
      const at = objects.findIndex((o) => o.kind === patch.kind && o.metadata.name === patch.metadata.name);
      if (at < 0) throw new Error(`${dir}: patch ${p.path} matches nothing`);
      objects[at] = merge(objects[at], patch);
    } else {
      const ops = parseAllDocuments(p.patch)[0].toJS();
      const targets = objects.filter((o) => o.kind === p.target.kind && o.metadata.name === p.target.name);
      if (targets.length !== 1) throw new Error(`${dir}: patch target ${p.target.kind}/${p.target.name} matches ${targets.length}`);
      for (const op of ops) {
        if (op.op !== 'replace') throw new Error(`${dir}: JSON patch op ${op.op} is not supported by this renderer`);
        jsonPointerReplace(targets[0], op.path, op.value);
      }
    }
  }
  for (const l of k.labels ?? []) for (const o of objects) addLabels(o, l.pairs, l.includeSelectors === true);
  if (k.images) for (const o of objects) setImages(o, k.images);
  if (k.namespace) for (const o of objects) if (o.kind !== 'Namespace') o.metadata.namespace = k.namespace;
  return objects;
}

/** The validator of an object's apiVersion and kind, from kubernetes-models. */
async function validatorFor(obj) {
  const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : [null, obj.apiVersion];
  const path = group ? `kubernetes-models/${group}/${version}/${obj.kind}` : `kubernetes-models/${version}/${obj.kind}`;
  const mod = await import(path).catch(() => null);
  const Model = mod?.[obj.kind];
  if (!Model) throw new Error(`no schema for ${obj.apiVersion} ${obj.kind}`);
  return Model;
}

/** Problems of the rendered objects: schema errors and the few rules we hold ourselves to. */
export async function validate(objects) {
  const problems = [];
  for (const obj of objects) {
    const id = `${obj.kind}/${obj.metadata?.name}`;
    try {
      const Model = await validatorFor(obj);
      new Model(obj).validate();
    } catch (err) {
      problems.push(`${id}: ${err.message}`);
    }
  }
  return problems;
}

function canonical(objects) {
  const sortKeys = (v) =>
    Array.isArray(v)
      ? v.map(sortKeys)
      : isMap(v)
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sortKeys(v[k])]),
          )
        : v;
  return objects.map(sortKeys).sort((a, b) => `${a.kind}/${a.metadata.name}`.localeCompare(`${b.kind}/${b.metadata.name}`));
}

async function main(argv) {
  if (argv[0] === '--validate') {
    const problems = await validate(readYaml(resolve(argv[1])));
    for (const p of problems) console.error(p);
    return problems.length ? 1 : 0;
  }
  if (argv[0] === '--compare') {
    const dir = resolve(ROOT, argv[1]);
    const a = JSON.stringify(canonical(kubectlRender(dir)), null, 1);
    const b = JSON.stringify(canonical(render(dir)), null, 1);
    if (a === b) {
      console.log(`${argv[1]}: the fallback renderer matches kubectl kustomize`);
      return 0;
    }
    const al = a.split('\n');
    const bl = b.split('\n');
    const at = al.findIndex((l, i) => l !== bl[i]);
    console.error(
      `${argv[1]}: renderers differ near line ${at}:\n kubectl: ${al.slice(at - 3, at + 3).join('\n')}\n fallback: ${bl.slice(at - 3, at + 3).join('\n')}`,
    );
    return 1;
  }
  const kubectl = hasKubectl();
  let failed = 0;
  for (const rel of argv.length ? argv : KUSTOMIZATIONS) {
    const dir = resolve(ROOT, rel);
    const objects = kubectl ? kubectlRender(dir) : render(dir);
    const problems = await validate(objects);
    console.log(
      `${rel}: ${objects.length} objects rendered by ${kubectl ? 'kubectl kustomize' : 'the fallback renderer'}, ${problems.length} schema problem(s)`,
    );
    for (const p of problems) console.error(`  ${p}`);
    failed += problems.length;
  }
  return failed ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err.message);
      process.exit(2);
    },
  );
}
