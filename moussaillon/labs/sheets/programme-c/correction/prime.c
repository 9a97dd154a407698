/* prime: finds the n-th prime number by trial division, to keep a processor busy.
 *
 *   prime 500     ->  prime(500) = 3571
 *
 * Written for the Moussaillon course: small enough to read on a phone, slow enough for
 * `prime 20000` to take a visible moment.
 */
#include <stdio.h>
#include <stdlib.h>

static int is_prime(long candidate)
{
    if (candidate < 2)
        return 0;
    for (long divisor = 2; divisor * divisor <= candidate; divisor++)
        if (candidate % divisor == 0)
            return 0;
    return 1;
}

int main(int argc, char **argv)
{
    long wanted = argc > 1 ? strtol(argv[1], NULL, 10) : 10000;
    if (wanted < 1 || wanted > 1000000) {
        fprintf(stderr, "usage: prime N (1 <= N <= 1000000)\n");
        return 2;
    }
    long found = 0, candidate = 1;
    while (found < wanted)
        if (is_prime(++candidate))
            found++;
    printf("prime(%ld) = %ld\n", wanted, candidate);
    return 0;
}
