// Validates Kubernetes objects offline against the API's schemas, as the kubernetes-models package compiles them
// (types, formats, enums, required fields), and additionally rejects fields the schema does not define: the compiled
// validators ignore unknown fields, which would let a typo such as "readOnlyRootFileSystem" pass silently.
//
//   kubectl kustomize deploy/overlays/production | node tests/PolicyService.Deploy.Tests/validate-manifests.mjs
//
// Prints a JSON array with one entry per object ({ apiVersion, kind, name, errors: [...] }) and exits 1 when any
// object has errors, 2 when the input cannot be read.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

// A field counts as known when the schema's validator reads it. Validators read every property their schema declares
// (to test it or to find it absent) and enumerate the keys of maps, so an own key that was never read is not in the schema.
// Objects whose schema is free-form are never read at all, and are therefore not judged.
function tracking(root) {
  const reads = new WeakMap(); // target object -> { path, keys read }
  const wrap = (value, path) => {
    if (value === null || typeof value !== "object") return value;
    if (!reads.has(value)) reads.set(value, { path, keys: new Set(), touched: false });
    return new Proxy(value, {
      get(target, key, receiver) {
        const entry = reads.get(target);
        if (typeof key === "string") {
          entry.keys.add(key);
          entry.touched = true;
        }
        const child = Reflect.get(target, key, receiver);
        return typeof key === "string" && Object.hasOwn(target, key) ? wrap(child, `${entry.path}/${key}`) : child;
      },
      ownKeys(target) {
        const entry = reads.get(target);
        entry.touched = true;
        for (const key of Reflect.ownKeys(target)) if (typeof key === "string") entry.keys.add(key);
        return Reflect.ownKeys(target);
      },
    });
  };
  const unknownFields = () => {
    const found = [];
    const visit = (value) => {
      if (value === null || typeof value !== "object") return;
      const entry = reads.get(value);
      if (!Array.isArray(value) && entry?.touched) {
        for (const key of Object.keys(value)) if (!entry.keys.has(key)) found.push(`${entry.path}/${key} is not a field of this object`);
      }
      for (const child of Object.values(value)) visit(child);
    };
    visit(root);
    return found;
  };
  return { proxy: wrap(root, ""), unknownFields };
}

async function modelFor(apiVersion, kind) {
  try {
    const module = await import(`kubernetes-models/${apiVersion}`);
    return typeof module[kind] === "function" ? module[kind] : null;
  } catch {
    return null;
  }
}

async function validate(object) {
  const result = { apiVersion: object?.apiVersion ?? null, kind: object?.kind ?? null, name: object?.metadata?.name ?? null, errors: [] };
  if (!object || typeof object !== "object" || Array.isArray(object)) {
    result.errors.push("the document is not an object");
    return result;
  }
  const model = await modelFor(object.apiVersion, object.kind);
  if (!model) {
    result.errors.push(`no schema for apiVersion "${object.apiVersion}" kind "${object.kind}"`);
    return result;
  }
  const { proxy, unknownFields } = tracking(object);
  try {
    model.prototype.validate.call(proxy);
  } catch (error) {
    const details = Array.isArray(error.errors) ? error.errors.map((e) => `${e.instancePath || "/"} ${e.message}`) : [String(error.message ?? error)];
    result.errors.push(...details);
  }
  result.errors.push(...unknownFields());
  return result;
}

let documents;
try {
  documents = parseAllDocuments(readFileSync(0, "utf8"));
} catch (error) {
  console.error(`cannot read the input: ${error.message}`);
  process.exit(2);
}
const results = [];
for (const document of documents) {
  if (document.errors.length > 0) {
    results.push({ apiVersion: null, kind: null, name: null, errors: document.errors.map((e) => `YAML: ${e.message}`) });
    continue;
  }
  const object = document.toJS();
  if (object === null || object === undefined) continue; // an empty document between separators
  results.push(await validate(object));
}
console.log(JSON.stringify(results, null, 2));
process.exit(results.some((r) => r.errors.length > 0) ? 1 : 0);
