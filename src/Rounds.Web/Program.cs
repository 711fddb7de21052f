using Rounds.Screening.CommandLine;
using Rounds.Web;
using Rounds.Web.Host;

// One executable serves the web app and answers the command line, so `./rounds` needs a single build.
switch (args.FirstOrDefault())
{
    case "screen":
        return ScreeningCli.Screen(args[1..], Console.In, Console.Out, Console.Error);
    case "eval":
        return ScreeningCli.Eval(args[1..], Console.In, Console.Out, Console.Error);
    case "migrate":
    case "token":
    case "seed":
        return await AdminCommands.RunAsync(args);
    case "serve":
        args = args[1..];
        break;
}

var app = RoundsApp.Build(args);
await app.StartAsync();
Banner.Print(app);
await app.WaitForShutdownAsync();
return 0;

/// <summary>The entry point, named so integration tests can host the app.</summary>
public partial class Program;
