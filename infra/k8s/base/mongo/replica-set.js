// Makes the replica set rs0 of MONGO_MEMBERS members and the application user, each
// step only if it is missing, so running it again is safe. Run by replica-set.sh.
// Throws (and is retried) until this member is ready for the step it is at: the image's
// first start runs a temporary standalone server to create the root user first.
const fs = require("fs");
const secret = (key) => fs.readFileSync(`/etc/mongo-auth/${key}`, "utf8").trim();
const members = Number(process.env.MONGO_MEMBERS || "3");
const host = (i) => `mongo-${i}.mongo:27017`;

db.getSiblingDB("admin").auth(secret("root-username"), secret("root-password"));
try {
  rs.conf();
} catch (error) {
  if (error.codeName !== "NotYetInitialized") throw error;
  // Alone first: rs.initiate refuses members that hold data (each made its root user).
  rs.initiate({ _id: "rs0", members: [{ _id: 0, host: host(0), priority: 2 }] });
}
if (!db.hello().isWritablePrimary) {
  // This member may be a secondary now: do the rest on the primary.
  const user = encodeURIComponent(secret("root-username"));
  const password = encodeURIComponent(secret("root-password"));
  const hosts = Array.from({ length: members }, (_, i) => host(i)).join(",");
  db = connect(`mongodb://${user}:${password}@${hosts}/admin?replicaSet=rs0&authSource=admin`);
}
for (let i = 0; i < 60 && !db.hello().isWritablePrimary; i++) sleep(1000);

// Added one at a time; each joins by initial sync from the primary (its own data goes).
const present = new Set(rs.conf().members.map((member) => member.host));
for (let i = 1; i < members; i++) {
  if (!present.has(host(i))) {
    const answer = rs.add({ host: host(i), priority: 1 });
    if (answer.ok !== 1) throw new Error(`adding ${host(i)}: ${JSON.stringify(answer)}`);
  }
}

// The services' user: readWrite on their five databases, its password kept in step with
// the Secret (so rotating it is: change the Secret, run this again, restart services).
const admin = db.getSiblingDB("admin");
const appUser = secret("app-username");
const roles = ["auth", "tickets", "orders", "expiration", "payments"].map((name) => ({
  role: "readWrite",
  db: name,
}));
if (admin.getUser(appUser) === null) {
  admin.createUser({ user: appUser, pwd: secret("app-password"), roles });
} else {
  admin.updateUser(appUser, { pwd: secret("app-password"), roles });
}
print(`rs0: ${rs.conf().members.length} of ${members} members; user ${appUser} ready`);
