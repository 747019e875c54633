// The module is being written; this file keeps the package resolvable until then.
enum AgentGWKubeModule {}
