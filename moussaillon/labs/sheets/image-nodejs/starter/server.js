// bonjour: a tiny HTTP server with no dependency, written for the Moussaillon course.
// GET /       -> a greeting naming the container that answered
// GET /sante  -> "ok", for a health check
const http = require("node:http");
const os = require("node:os");

const port = Number(process.env.PORT || 3000);
const message = process.env.MESSAGE || "Bonjour depuis Node.js";

const server = http.createServer((request, response) => {
  response.setHeader("Content-Type", "text/plain; charset=utf-8");
  if (request.url === "/sante") {
    response.end("ok\n");
    return;
  }
  response.end(`${message} (conteneur ${os.hostname()})\n`);
});

server.listen(port, () => console.log(`bonjour: listening on port ${port}`));

// As PID 1 Node.js gets no default handler for SIGTERM: without these lines `docker stop`
// waits its 10 seconds, then kills.
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    console.log(`bonjour: ${signal}, stopping`);
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
