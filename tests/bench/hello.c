/*
 * hello.c - the floor of the REST benchmark: the smallest FastCGI program
 * (a fixed JSON answer, no database), behind the same lighttpd as the API.
 */
#include <fcgiapp.h>

int
main(void)
{
	static const char body[] = "{\"ok\":true}";
	FCGX_Request req;

	if (FCGX_Init() != 0 || FCGX_InitRequest(&req, 0, 0) != 0)
		return 1;
	while (FCGX_Accept_r(&req) >= 0) {
		FCGX_PutS("Status: 200 OK\r\nContent-Type: application/json\r\n"
		    "\r\n", req.out);
		FCGX_PutStr(body, sizeof(body) - 1, req.out);
		FCGX_Finish_r(&req);
	}
	return 0;
}
