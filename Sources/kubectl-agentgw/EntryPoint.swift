import AgentGWCLI

@main
struct EntryPoint {
    static func main() async {
        await AgentGW.main()
    }
}
