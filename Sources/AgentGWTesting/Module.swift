enum AgentGWTestingModule {}
