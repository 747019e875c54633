print("agentgw-test-apiserver: not built yet")
