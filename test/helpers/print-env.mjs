#!/usr/bin/env node
// Stands in for bin/djs.js in a crontab line under test: prints the environment the line gave it, as JSON.
console.log(JSON.stringify(process.env));
