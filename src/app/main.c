/* main.c — placeholder entry point replaced by the command line below. */
int main(void) { return 0; }
