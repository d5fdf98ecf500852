#!/usr/bin/env node
// Validates a local Frictionless data package with the Frictionless project's own library (npm `datapackage`):
// the descriptor against the data package profile, then every resource: its descriptor, that it is a local CSV
// file, that its header is exactly the schema's field names, and every row cast against the schema (types, missing
// values, row length). Prints what it checked; exits 1 listing every error, 2 on wrong usage.
//
//   node scripts/validate-datapackage.js path/to/datapackage.json
'use strict';

const fs = require('fs');
const path = require('path');
const { Package } = require('datapackage');

async function validate(descriptorPath) {
  const errors = [];
  const dataPackage = await Package.load(descriptorPath, { basePath: path.dirname(descriptorPath) });
  if (!dataPackage.valid)
    for (const error of dataPackage.errors) errors.push(`datapackage.json: ${error.message}`);

  let rows = 0;
  for (const resource of dataPackage.resources) {
    const name = resource.name || '(unnamed resource)';
    if (!resource.valid) {
      for (const error of resource.errors) errors.push(`${name}: ${error.message}`);
      continue;
    }
    if (!resource.local || !resource.tabular) {
      errors.push(`${name}: not a local tabular resource`);
      continue;
    }
    const file = path.resolve(path.dirname(descriptorPath), resource.descriptor.path);
    if (!fs.existsSync(file)) {
      errors.push(`${name}: ${resource.descriptor.path} is missing`);
      continue;
    }
    let read;
    try {
      // forceCast: a row that does not cast comes back as its error, so every bad row is reported, not the first.
      read = await resource.read({ cast: true, forceCast: true });
    } catch (error) {
      errors.push(`${name}: ${error.message}`);
      continue;
    }
    const expected = resource.schema.fieldNames;
    const headers = resource.headers || [];
    if (headers.join(',') !== expected.join(','))
      errors.push(`${name}: header [${headers.join(', ')}] is not the schema's fields [${expected.join(', ')}]`);
    read.forEach((row, index) => {
      if (!(row instanceof Error)) return;
      const details = (row.errors || []).map((e) => e.message).join('; ');
      errors.push(`${name}, data row ${index + 1}: ${row.message}${details ? ` (${details})` : ''}`);
    });
    rows += read.length;
  }
  return { errors, resources: dataPackage.resources.length, rows };
}

async function main() {
  const argument = process.argv[2];
  if (!argument || process.argv.length > 3) {
    console.error('usage: node scripts/validate-datapackage.js path/to/datapackage.json');
    process.exit(2);
  }
  const descriptorPath = path.resolve(argument);
  const { errors, resources, rows } = await validate(descriptorPath);
  if (errors.length > 0) {
    console.error(`${descriptorPath}: ${errors.length} error(s)`);
    for (const error of errors) console.error(`  ${error}`);
    process.exit(1);
  }
  console.log(`${descriptorPath}: valid (${resources} resources, ${rows} data rows)`);
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : String(error));
  process.exit(1);
});
