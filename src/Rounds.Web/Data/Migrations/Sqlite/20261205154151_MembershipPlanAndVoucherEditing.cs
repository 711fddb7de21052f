using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rounds.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MembershipPlanAndVoucherEditing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AppliesTo",
                table: "MembershipVouchers",
                type: "TEXT",
                maxLength: 100,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Currency",
                table: "MembershipVouchers",
                type: "TEXT",
                maxLength: 3,
                nullable: false,
                defaultValue: "USD");

            migrationBuilder.AddColumn<long>(
                name: "EndedAt",
                table: "MembershipVouchers",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ValidFrom",
                table: "MembershipVouchers",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "RetiredAt",
                table: "MembershipPlans",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AppliesTo",
                table: "MembershipVouchers");

            migrationBuilder.DropColumn(
                name: "Currency",
                table: "MembershipVouchers");

            migrationBuilder.DropColumn(
                name: "EndedAt",
                table: "MembershipVouchers");

            migrationBuilder.DropColumn(
                name: "ValidFrom",
                table: "MembershipVouchers");

            migrationBuilder.DropColumn(
                name: "RetiredAt",
                table: "MembershipPlans");
        }
    }
}
