using Rounds.Screening.CommandLine;

// The first argument names the command; the rest are its own, exactly as `./rounds` received them.
return args.Length == 0
    ? Usage()
    : args[0] switch
    {
        "screen" => ScreeningCli.Screen(args[1..], Console.In, Console.Out, Console.Error),
        "eval" => ScreeningCli.Eval(args[1..], Console.In, Console.Out, Console.Error),
        "screen-train" => ScreeningCli.Train(args[1..], Console.Out, Console.Error),
        _ => Usage(),
    };

static int Usage()
{
    Console.Error.WriteLine("usage: rounds-screen screen|eval|screen-train [options]; add --help after the command for its options.");
    return 2;
}
